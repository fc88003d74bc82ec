// captureMetadata against this machine's own /usr: it finishes in reasonable time and finds the hard links.
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { captureMetadata } from '../../agent/engine/fidelity/capture.js';
import { makeTempDir, removeDir } from '../support/temp.js';

let work: string;
beforeEach(async () => {
  work = await makeTempDir('fidelity-measure');
});
afterEach(async () => {
  await removeDir(work);
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
