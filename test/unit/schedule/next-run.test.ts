// Slots of a schedule: each container's fixed spread offset, the next run, and a slot missed while the agent was down.
import { describe, expect, it } from 'vitest';
import { missedRun, nextRunAfter, spreadOffsetMs, spreadWindowMs } from '../../../agent/schedule/next-run.js';

describe('spread offsets', () => {
  it('are deterministic and inside the window', () => {
    const names = Array.from({ length: 200 }, (_, i) => `ct-${i}`);
    for (const [expression, window] of [
      ['0 3 * * *', 15 * 60_000],
      ['*/10 * * * *', 150_000],
      ['* * * * *', 15_000],
    ] as const) {
      expect(spreadWindowMs(expression)).toBe(window);
      const offsets = names.map((name) => spreadOffsetMs(name, expression));
      expect(names.map((name) => spreadOffsetMs(name, expression))).toEqual(offsets);
      for (const offset of offsets) {
        expect(offset).toBeGreaterThanOrEqual(0);
        expect(offset).toBeLessThan(window);
      }
      // 200 containers on one schedule do not start in the same second.
      expect(new Set(offsets.map((ms) => Math.floor(ms / 1000))).size).toBeGreaterThan(10);
    }
  });

  it('next run is the slot plus the offset, strictly after the given time', () => {
    const after = new Date('2030-01-01T12:00:00Z');
    const run = nextRunAfter('0 3 * * *', 'web', after)!;
    const offset = spreadOffsetMs('web', '0 3 * * *');
    expect(run.getTime()).toBeGreaterThan(after.getTime());
    expect(run.getTime() - offset).toBe(new Date(2030, 0, 2, 3, 0, 0).getTime());
    // Just before the offset has passed, the same slot is still ahead.
    const justBefore = new Date(run.getTime() - 1);
    expect(nextRunAfter('0 3 * * *', 'web', justBefore)!.getTime()).toBe(run.getTime());
  });

  it('detects a slot missed while the agent was down', () => {
    const last = new Date(2030, 0, 1, 3, 30);
    expect(missedRun('0 3 * * *', 'web', last, new Date(2030, 0, 2, 2, 0))).toBe(false);
    expect(missedRun('0 3 * * *', 'web', last, new Date(2030, 0, 2, 4, 0))).toBe(true);
  });
});
