// The capture walk's cost per entry against plain `find -printf` over the same tree (issue 20):
// `node --import tsx bench/walk-cost.ts DIR [RUNS]`. Warm cache (one unmeasured walk first);
// medians of RUNS (default 5), alternating. "walk": find with the walk format feeding the
// fidelity collector and the change fingerprint in this process (all an unchanged container
// pays); "+manifest": also the drill manifest's totals and sample (drill/manifest-walk.ts),
// what a backup that runs pays.
import { spawn } from 'node:child_process';
import { createFindCollector } from '../agent/engine/fidelity/fidelity-collector.js';
import { WALK_ARGS } from '../agent/engine/fidelity/walk-format.js';
import { compileExcludes } from '../agent/engine/exclude-globs.js';
import { createFingerprintCollector } from '../agent/engine/change-detection/walk-fingerprint.js';
import { createManifestWalk } from '../agent/engine/drill/manifest-walk.js';
import { sampleSizeFor } from '../agent/engine/drill/sample-pick.js';
import { DEFAULT_VERIFY } from '../agent/policy/verify-fields.js';
import { DEFAULT_SETTINGS } from '../agent/policy/defaults.js';

type Mode = 'find' | 'walk' | 'manifest';

function run(dir: string, mode: Mode): Promise<{ seconds: number; entries: number }> {
  const consume = mode !== 'find';
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn('find', WALK_ARGS, { cwd: dir, stdio: ['ignore', consume ? 'pipe' : 'ignore', 'ignore'] });
    const fidelity = createFindCollector({ walk: true });
    const fingerprint = createFingerprintCollector(compileExcludes(DEFAULT_SETTINGS.exclude), Date.now());
    const manifest =
      mode === 'manifest' && createManifestWalk(compileExcludes(DEFAULT_SETTINGS.exclude), 'seed', sampleSizeFor(DEFAULT_VERIFY.sample));
    child.stdout?.on('data', (chunk: Buffer) => {
      fidelity.write(chunk);
      fingerprint.write(chunk);
      if (manifest) manifest.write(chunk);
    });
    child.on('error', reject);
    child.on('close', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (!consume) return resolve({ seconds, entries: 0 });
      fidelity.finish();
      if (manifest) manifest.finish();
      resolve({ seconds, entries: fingerprint.finish().entries });
    });
  });
}

const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] ?? 0;

const dir = process.argv[2] ?? '/usr';
const runs = Number(process.argv[3] ?? 5);
await run(dir, 'manifest');
const times: Record<Mode, number[]> = { find: [], walk: [], manifest: [] };
const orders: Mode[][] = [
  ['find', 'walk', 'manifest'],
  ['manifest', 'walk', 'find'],
];
let entries = 0;
for (let i = 0; i < runs; i++) {
  for (const mode of orders[i % 2] ?? []) {
    const r = await run(dir, mode);
    times[mode].push(r.seconds);
    if (mode !== 'find') entries = r.entries;
  }
}
const us = (s: number): string => ((s / entries) * 1e6).toFixed(2);
const [plain, walk, manifest] = [median(times.find), median(times.walk), median(times.manifest)];
process.stdout.write(
  `${dir}: ${entries} entries; find -printf ${plain.toFixed(3)} s (${us(plain)} µs/entry), ` +
    `walk ${walk.toFixed(3)} s (${us(walk)} µs/entry, ratio ${(walk / plain).toFixed(2)}), ` +
    `+manifest ${manifest.toFixed(3)} s (${us(manifest)} µs/entry, ratio ${(manifest / plain).toFixed(2)})\n`,
);
