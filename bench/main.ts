// scripts/bench: builds the workload, runs the scenarios of issue 7 and prints the table
// (or --json). Progress goes to stderr so --json output stays machine-readable.
import { mkdir, rm } from 'node:fs/promises';
import { availableParallelism, cpus, release, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { runAtRest, type RestSamples } from './agent-rest.js';
import { runCycles, type CycleSamples } from './cycles.js';
import { productionHostView } from './host-view.js';
import { type BenchOptions, parseBenchArgs, USAGE } from './options.js';
import { buildResult, formatTable } from './report.js';
import { runRestores, type RestoreSamples } from './restore-bench.js';
import { loadAverage, timed } from './run.js';
import { buildContainers, ensureBaseRootfs } from './workload.js';
import { buildScaleContainers, runScale } from './scale.js';
import { formatScale, scaleRatios } from './scale-report.js';
import { runSmallFilesOnly } from './small-files-main.js';

const repo = resolve(import.meta.dirname, '..');
const log = (line: string): void => void process.stderr.write(`bench: ${line}\n`);

async function machine(): Promise<Record<string, string | number>> {
  const duplicity = (await timed('duplicity', ['--version'])).stdout.trim();
  return {
    nproc: availableParallelism(),
    cpu: cpus()[0]?.model ?? 'unknown',
    memory_gib: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    kernel: release(),
    duplicity: duplicity.replace(/^duplicity\s+/, ''),
    node: process.version,
    load_at_start: await loadAverage(),
  };
}

async function main(): Promise<number> {
  const options = parseBenchArgs(process.argv.slice(2));
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const started = process.hrtime.bigint();
  log('building dist/lxc-backup.mjs');
  await timed('node', [join(repo, 'scripts', 'build.mjs')], { cwd: repo });
  const described = await machine();
  await rm(options.work, { recursive: true, force: true });
  await mkdir(options.work, { recursive: true });
  if (options.scale) return runScaleOnly(options, described, started);
  if (options.smallFiles) return runSmallFilesOnly(repo, options, described, started, log);
  let cycles: CycleSamples | undefined;
  let restore: RestoreSamples | undefined;
  let atRest: RestSamples | undefined;
  let hostView: string | undefined;
  try {
    if (options.only.has('cycles') || options.only.has('restore')) {
      const base = await ensureBaseRootfs(options.cache, log);
      const hostRoot = join(options.work, 'host');
      log(`workload: ${options.containers} containers (${options.profile}) under ${hostRoot}`);
      const names = await buildContainers(base, hostRoot, options.containers, options.profile);
      const view = await productionHostView(hostRoot, log);
      hostView = view.description;
      // The restore needs a backup; without the cycles scenario one repetition still makes it.
      const ran = await runCycles({
        repo,
        work: options.work,
        hostRoot,
        productHostRoot: view.hostRoot,
        names,
        repetitions: options.only.has('cycles') ? options.repetitions : 1,
        incrementalRounds: options.only.has('cycles') ? options.incrementalRounds : 1,
        priorityVariant: !options.quick,
        log,
      });
      if (options.only.has('cycles')) cycles = ran.samples;
      if (options.only.has('restore'))
        restore = await runRestores(repo, options.work, ran.product, names[0]!, Math.max(options.repetitions, 2), log);
    }
    if (options.only.has('rest')) {
      atRest = await runAtRest({
        repo,
        work: options.work,
        containers: options.restContainers,
        idleSeconds: options.idleSeconds,
        repetitions: options.repetitions,
        log,
      });
    }
  } finally {
    if (!options.keep) await rm(options.work, { recursive: true, force: true });
  }
  const result = buildResult({
    machine: described,
    settings: {
      mode: options.quick ? 'quick' : 'full',
      containers: options.containers,
      workload:
        options.profile === 'full'
          ? 'debootstrap --variant=minbase bookworm + 5 MB seeded'
          : 'etc, usr/bin, usr/share/{doc,man,zoneinfo} of minbase + 5 MB seeded',
      ...(hostView ? { lxc_backup_host_root: hostView } : {}),
      repetitions: options.repetitions,
      incremental_rounds: options.incrementalRounds,
      rest_containers: options.restContainers,
      idle_seconds: options.idleSeconds,
    },
    ...(cycles ? { cycles } : {}),
    ...(restore ? { restore } : {}),
    ...(atRest ? { atRest } : {}),
    runtimeSeconds: Number(process.hrtime.bigint() - started) / 1e9,
  });
  process.stdout.write(options.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatTable(result)}\n`);
  return 0;
}

// --scale: the scale scenario alone (issue 20).
async function runScaleOnly(options: BenchOptions, described: Record<string, string | number>, started: bigint): Promise<number> {
  try {
    const base = await ensureBaseRootfs(options.cache, log);
    const hostRoot = join(options.work, 'scale-host');
    log(`scale workload: ${options.containers} containers under ${hostRoot}`);
    const names = await buildScaleContainers(base, hostRoot, options.containers);
    const view = await productionHostView(hostRoot, log);
    const samples = await runScale({ repo, work: options.work, base, hostRoot, productHostRoot: view.hostRoot, names, log });
    const runtime = Number(process.hrtime.bigint() - started) / 1e9;
    const json = { machine: described, scale: samples, ratios: scaleRatios(samples), runtimeSeconds: runtime };
    process.stdout.write(options.json ? `${JSON.stringify(json, null, 2)}\n` : `${formatScale(samples, described, runtime)}\n`);
    return 0;
  } finally {
    if (!options.keep) await rm(options.work, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(error instanceof Error && error.message.startsWith('expected ') ? 2 : 1);
  },
);
