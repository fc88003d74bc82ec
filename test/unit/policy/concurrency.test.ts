// `concurrency: auto`: one lane per core, at least 1, at most 4; a number is taken as written.
import { describe, expect, it } from 'vitest';
import { AUTO_MAX, jobSlots } from '../../../agent/policy/concurrency.js';
import { parsePolicy } from '../../../agent/policy/parse.js';

describe('jobSlots', () => {
  it.each([
    [1, 1],
    [2, 2],
    [4, 4],
    [64, AUTO_MAX],
    [0, 1],
  ])('auto on %i cores gives %i', (cores, slots) => {
    expect(jobSlots('auto', cores)).toBe(slots);
  });

  it('takes a number as written, whatever the cores', () => {
    expect(jobSlots(7, 2)).toBe(7);
  });

  it('is the default, and the policy accepts auto or 1..32 only', () => {
    expect(parsePolicy('version: 1\n', 'p.yaml').policy?.concurrency).toBe('auto');
    expect(parsePolicy('version: 1\nconcurrency: 3\n', 'p.yaml').policy?.concurrency).toBe(3);
    expect(parsePolicy('version: 1\nconcurrency: many\n', 'p.yaml').policy).toBeUndefined();
    expect(parsePolicy('version: 1\nconcurrency: 0\n', 'p.yaml').policy).toBeUndefined();
  });
});
