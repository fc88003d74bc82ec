import { describe, expect, it } from 'vitest';
import { createSamplePicker, sampleCount, sampleSizeFor } from '../../../../agent/engine/drill/sample-pick.js';

const paths = Array.from({ length: 5000 }, (_, i) => Buffer.from(`rootfs/usr/share/file-${i}`));
const pickWith = (seed: string, order = paths): string[] => {
  const picker = createSamplePicker<number>(seed, sampleSizeFor(2));
  for (const [i, path] of order.entries()) picker.offer(path, i);
  return picker.pick().map((c) => c.path.toString());
};

describe('sample picking', () => {
  it('picks 2 % but at least 200 files, and every file of a small tree', () => {
    expect(sampleCount(5000, sampleSizeFor(2))).toBe(200);
    expect(sampleCount(50_000, sampleSizeFor(2))).toBe(1000);
    expect(sampleCount(150, sampleSizeFor(2))).toBe(150);
    expect(sampleCount(10_000_000, sampleSizeFor(2))).toBe(10_000);
    expect(pickWith('s')).toHaveLength(200);
  });

  it('is deterministic for a seed, whatever order the walk met the files in', () => {
    const a = pickWith('2026-01-01T00:00:00Z');
    const b = pickWith('2026-01-01T00:00:00Z', [...paths].reverse());
    expect(new Set(b)).toEqual(new Set(a));
    expect(b).toEqual(a);
  });

  it('rotates: another seed picks mostly other files, and seeds together cover the tree', () => {
    const a = new Set(pickWith('backup-1'));
    const b = pickWith('backup-2');
    expect(b.filter((p) => a.has(p)).length).toBeLessThan(50);
    const seen = new Set<string>();
    for (let i = 0; i < 100; i++) for (const p of pickWith(`backup-${i}`)) seen.add(p);
    expect(seen.size).toBeGreaterThan(4000);
  });

  it('offerView picks as offer does, keeping a copy of each kept path (the view is reused)', () => {
    const picker = createSamplePicker<string>('s', sampleSizeFor(2));
    const scratch = Buffer.alloc(64);
    for (const path of paths) {
      const view = scratch.subarray(0, path.copy(scratch));
      picker.offerView(view, (kept) => kept.toString());
      scratch.fill(0x7a);
    }
    const picked = picker.pick();
    expect(picked.map((c) => c.path.toString())).toEqual(pickWith('s'));
    expect(picked.map((c) => c.item)).toEqual(pickWith('s'));
  });
});
