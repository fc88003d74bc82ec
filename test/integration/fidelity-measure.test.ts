import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { captureMetadata } from '../../agent/engine/fidelity/capture.js';

let work: string;
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'fidelity-measure-'));
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

// slow: walks the whole of /usr twice (getfattr, find); prints the numbers for the bench notes.
it('captures /usr in reasonable time and finds its hard links', async () => {
  const start = performance.now();
  const summary = await captureMetadata('/usr', join(work, 'meta'));
  const seconds = (performance.now() - start) / 1000;
  console.log(`fidelity capture /usr: ${seconds.toFixed(2)} s`, JSON.stringify(summary));
  expect(summary.regularFiles).toBeGreaterThan(1000);
  // Debian's /usr always has hard-linked files (e.g. perl, python or gzip binaries).
  expect(summary.hardlinkGroups).toBeGreaterThan(0);
  expect(seconds).toBeLessThan(60);
});
