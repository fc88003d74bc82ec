// The capture walk's cost per entry against plain `find -printf` over the same tree (issue 20):
// `node --import tsx bench/walk-cost.ts DIR [RUNS]`. Warm cache (one unmeasured walk first);
// medians of RUNS (default 5), alternating. "walk" is what a backup runs: find with the walk
// format feeding the fidelity collector, the change fingerprint and the drill manifest's
// totals and sample (drill/manifest-walk.ts) in this process.
import { spawn } from 'node:child_process';
import { createFindCollector } from '../agent/engine/fidelity/fidelity-collector.js';
import { WALK_ARGS } from '../agent/engine/fidelity/walk-format.js';
import { compileExcludes } from '../agent/engine/exclude-globs.js';
import { createFingerprintCollector } from '../agent/engine/change-detection/walk-fingerprint.js';
import { createManifestWalk } from '../agent/engine/drill/manifest-walk.js';
import { sampleSizeFor } from '../agent/engine/drill/sample-pick.js';
import { DEFAULT_VERIFY } from '../agent/policy/verify-fields.js';
import { DEFAULT_SETTINGS } from '../agent/policy/defaults.js';

function run(dir: string, consume: boolean): Promise<{ seconds: number; entries: number }> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn('find', WALK_ARGS, { cwd: dir, stdio: ['ignore', consume ? 'pipe' : 'ignore', 'ignore'] });
    const fidelity = createFindCollector({ walk: true });
    const fingerprint = createFingerprintCollector(compileExcludes(DEFAULT_SETTINGS.exclude), Date.now());
    const manifest = createManifestWalk(compileExcludes(DEFAULT_SETTINGS.exclude), 'seed', sampleSizeFor(DEFAULT_VERIFY.sample));
    child.stdout?.on('data', (chunk: Buffer) => {
      fidelity.write(chunk);
      fingerprint.write(chunk);
      manifest.write(chunk);
    });
    child.on('error', reject);
    child.on('close', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (!consume) return resolve({ seconds, entries: 0 });
      fidelity.finish();
      manifest.finish();
      resolve({ seconds, entries: fingerprint.finish().entries });
    });
  });
}

const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] ?? 0;

const dir = process.argv[2] ?? '/usr';
const runs = Number(process.argv[3] ?? 5);
await run(dir, true);
const plain: number[] = [];
const walk: number[] = [];
let entries = 0;
for (let i = 0; i < runs; i++) {
  for (const consume of i % 2 ? [true, false] : [false, true]) {
    const r = await run(dir, consume);
    if (consume) {
      walk.push(r.seconds);
      entries = r.entries;
    } else plain.push(r.seconds);
  }
}
const us = (s: number): string => ((s / entries) * 1e6).toFixed(2);
process.stdout.write(
  `${dir}: ${entries} entries; find -printf ${median(plain).toFixed(3)} s (${us(median(plain))} µs/entry), ` +
    `walk ${median(walk).toFixed(3)} s (${us(median(walk))} µs/entry), ratio ${(median(walk) / median(plain)).toFixed(2)}\n`,
);
