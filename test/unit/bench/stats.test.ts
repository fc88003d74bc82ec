// The bench's pure parts: summaries, paired ratios and the seeded workload generator.
import { describe, expect, it } from 'vitest';
import { createRandom, randomBytes } from '../../../bench/seeded.js';
import { pairedRatio, summarize } from '../../../bench/stats.js';

describe('bench statistics', () => {
  it('takes min and median (mean of the middle two for an even count)', () => {
    expect(summarize([3, 1, 2])).toEqual({ min: 1, median: 2, samples: [3, 1, 2] });
    expect(summarize([4, 1, 3, 2]).median).toBe(2.5);
  });

  it('pairs ratios sample by sample, not median by median', () => {
    expect(pairedRatio([2, 10, 3], [4, 10, 6]).samples).toEqual([0.5, 1, 0.5]);
    expect(pairedRatio([2, 10, 3], [4, 10, 6]).median).toBe(0.5);
  });
});

describe('seeded workload', () => {
  it('generates the same bytes for the same seed, other bytes for another', () => {
    const a = randomBytes(createRandom(42), 4096);
    expect(randomBytes(createRandom(42), 4096).equals(a)).toBe(true);
    expect(randomBytes(createRandom(43), 4096).equals(a)).toBe(false);
  });
});
