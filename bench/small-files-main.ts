// --small-files: the small-files scenario alone (issue 20), as scripts/bench runs it.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { productionHostView } from './host-view.js';
import type { BenchOptions } from './options.js';
import { buildSmallFilesContainers, findStdlib, runSmallFiles } from './small-files.js';
import { formatSmallFiles, smallFilesRatios } from './small-files-report.js';

// Builds the workload, runs the paired full cycles, prints the table (or --json); exit code.
export async function runSmallFilesOnly(
  repo: string,
  options: BenchOptions,
  described: Record<string, string | number>,
  started: bigint,
  log: (line: string) => void,
): Promise<number> {
  try {
    const stdlib = await findStdlib();
    const hostRoot = join(options.work, 'small-host');
    log(`small-files workload: ${options.containers} copies of ${stdlib} + 5 MB seeded under ${hostRoot}`);
    const names = await buildSmallFilesContainers(stdlib, hostRoot, options.containers);
    const view = await productionHostView(hostRoot, log);
    const samples = await runSmallFiles({
      repo,
      work: options.work,
      hostRoot,
      productHostRoot: view.hostRoot,
      names,
      repetitions: options.repetitions,
      stdlib,
      log,
    });
    const runtime = Number(process.hrtime.bigint() - started) / 1e9;
    const json = { machine: described, smallFiles: samples, ratios: smallFilesRatios(samples), runtimeSeconds: runtime };
    process.stdout.write(options.json ? `${JSON.stringify(json, null, 2)}\n` : `${formatSmallFiles(samples, described, runtime)}\n`);
    return 0;
  } finally {
    if (!options.keep) await rm(options.work, { recursive: true, force: true });
  }
}
