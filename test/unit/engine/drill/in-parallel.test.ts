// inParallel: bounded concurrency, results in input order, first failure rejects.
import { describe, expect, it } from 'vitest';
import { inParallel } from '../../../../agent/engine/drill/in-parallel.js';

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('inParallel', () => {
  it('keeps input order and never runs more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const results = await inParallel([5, 1, 4, 2, 3, 0, 6], 3, async (n) => {
      running++;
      peak = Math.max(peak, running);
      for (let i = 0; i < n; i++) await tick();
      running--;
      return n * 10;
    });
    expect(results).toEqual([50, 10, 40, 20, 30, 0, 60]);
    expect(peak).toBe(3);
  });

  it('rejects with the first failure and starts nothing after it', async () => {
    const started: number[] = [];
    const run = inParallel([1, 2, 3, 4, 5], 2, async (n) => {
      started.push(n);
      await tick();
      if (n === 2) throw new Error('boom');
      return n;
    });
    await expect(run).rejects.toThrow('boom');
    expect(started).not.toContain(5);
  });

  it('refuses a limit that is not a positive integer', async () => {
    await expect(inParallel([1], 0, async (n) => n)).rejects.toThrow('expected a positive integer limit, got 0');
  });
});
