// The drill's totals check: compared when the manifest's totals are what the backup holds,
// skipped with a note (never a mismatch) when the manifest says they may not be.
import { describe, expect, it } from 'vitest';
import { checkTotals } from '../../../../agent/engine/drill/drill-steps.js';
import type { DrillManifest } from '../../../../agent/engine/drill/manifest-file.js';

const manifest: DrillManifest = {
  version: 1,
  seed: 's',
  created: '2026-12-01T00:00:00.000Z',
  totals: { entries: 10, bytes: 100, digest: 'a'.repeat(64) },
  files: 5,
  left_out: 0,
  over_budget: 0,
  sample: [],
};
const found = { totals: { entries: 9, bytes: 90, digest: 'b'.repeat(64) }, hashed: 0, unreadable: ['rootfs/broken'] };

describe('checkTotals', () => {
  it('reports different totals as one mismatch for the tree, and unreadable files', () => {
    const { mismatches, notes } = checkTotals(manifest, found);
    expect(mismatches.map((m) => m.path)).toEqual(['(whole tree)', 'rootfs/broken']);
    expect(mismatches[0]?.problem).toMatch(/expected 10 entries, found 9/);
    expect(notes).toEqual([]);
  });

  it('does not compare totals the manifest marks unchecked, and says why in a note', () => {
    const { mismatches, notes } = checkTotals({ ...manifest, totals_unchecked: 'exclude pattern(s) "rootfs/[ab]" …' }, found);
    expect(mismatches).toEqual([{ path: 'rootfs/broken', problem: 'cannot be read through' }]);
    expect(notes).toEqual(['tree totals not compared: exclude pattern(s) "rootfs/[ab]" …']);
  });
});
