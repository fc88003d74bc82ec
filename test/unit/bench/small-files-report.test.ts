// The --small-files scenario's pure report: paired ratios and the table.
import { describe, expect, it } from 'vitest';
import { formatSmallFiles, smallFilesRatios } from '../../../bench/small-files-report.js';

const samples = {
  stdlib: '/usr/lib/python3.11',
  loop: [10, 20, 10],
  product: [5, 8, 6],
  productNice0: [4, 10, 3],
  productFullStretching: [7, 14, 8],
  load: [1],
};

describe('smallFilesRatios', () => {
  it('takes the median of the paired ratios, not the ratio of the medians', () => {
    // paired: 0.5, 0.4, 0.6 → 0.5; medians alone would give 6 / 10 = 0.6
    expect(smallFilesRatios(samples)).toEqual({ full: 0.5, full_nice0: 0.4, full_full_stretching: 0.7 });
  });
});

describe('formatSmallFiles', () => {
  it('prints each paired ratio and their median next to the target', () => {
    const table = formatSmallFiles(samples, { nproc: 2 }, 100);
    expect(table).toContain('0.500, 0.400, 0.600 (0.500)   <= 0.45');
    expect(table).toContain('stdlib=/usr/lib/python3.11');
    expect(table).toMatch(/full key stretching .* 0\.700, 0\.700, 0\.800 \(0\.700\)/);
  });
});
