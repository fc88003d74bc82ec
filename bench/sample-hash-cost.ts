// What hashing the drill manifest's sample costs on a small-files container (issue 20):
// `node --import tsx bench/sample-hash-cost.ts [--runs N] [--busy N] [--pair] [--keep DIR]`.
// Builds one --small-files container (bench/small-files.ts) in a temp dir, then times
// captureManifest (walk + hashing, sample = sampleSizeFor(2)) and the walk alone (an empty
// sample) N times each, alternating; "hash" is the difference of the medians. --busy N keeps
// N other processes spinning (a loaded 2-core host); --pair captures two copies at once, as
// two backup lanes do. The event loop's longest stall during the timed captures is printed
// too: what the daemon's sockets and timers waited at worst.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { captureManifest } from './manifest-alone.js';
import { type SampleSize, sampleSizeFor } from '../agent/engine/drill/sample-pick.js';
import { buildSmallFilesContainers, findStdlib } from './small-files.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    busy: { type: 'string', default: '0' },
    pair: { type: 'boolean', default: false },
    keep: { type: 'string' },
  },
});
const runs = Number(values.runs);
const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] ?? 0;

const work = values.keep ?? (await mkdtemp(join(tmpdir(), 'lxc-backup-sample-hash-')));
const hostRoot = join(work, 'host');
const names = values.pair ? ['p00', 'p01'] : ['p00'];
if (!values.keep) await buildSmallFilesContainers(await findStdlib(), hostRoot, names.length);

async function capture(size: SampleSize, run: number): Promise<{ ms: number; sampled: number }> {
  const started = process.hrtime.bigint();
  const manifests = await Promise.all(
    names.map((name, i) =>
      captureManifest(join(hostRoot, name), join(work, `manifest-${i}.json`), { exclude: [], sample: size, seed: `run-${run}` }),
    ),
  );
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, sampled: manifests[0]?.sample.length ?? 0 };
}

const busy = Array.from({ length: Number(values.busy) }, () => spawn(process.execPath, ['-e', 'for(;;);'], { stdio: 'ignore' }));
try {
  const none: SampleSize = { percent: 0, min: 0, max: 0 };
  await capture(sampleSizeFor(2), -1); // warm the page cache
  const stalls = monitorEventLoopDelay({ resolution: 1 });
  stalls.enable();
  const full: number[] = [];
  const walk: number[] = [];
  let sampled = 0;
  for (let i = 0; i < runs; i++) {
    const result = await capture(sampleSizeFor(2), i);
    sampled = result.sampled;
    full.push(result.ms);
    walk.push((await capture(none, i)).ms);
  }
  stalls.disable();
  const show = (v: number[]): string => v.map((ms) => ms.toFixed(0)).join(' ');
  console.log(`containers at once ${names.length}, busy processes ${busy.length}, sampled files ${sampled}`);
  console.log(`capture ms: ${show(full)} (median ${median(full).toFixed(0)})`);
  console.log(`walk ms:    ${show(walk)} (median ${median(walk).toFixed(0)})`);
  console.log(`hash ms (median difference): ${(median(full) - median(walk)).toFixed(0)}`);
  console.log(`event loop stall ms: max ${(stalls.max / 1e6).toFixed(1)}, p99 ${(stalls.percentile(99) / 1e6).toFixed(1)}`);
} finally {
  for (const child of busy) child.kill('SIGKILL');
  if (!values.keep) await rm(work, { recursive: true, force: true });
}
