import { describe, expect, it } from 'vitest';
import { missedRun, nextRunAfter, spreadOffsetMs, spreadWindowMs } from '../../../agent/schedule/next-run.js';
import { createScheduler } from '../../../agent/daemon/scheduler.js';

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

describe('scheduler', () => {
  it('fires due entries once per slot and keeps unchanged plans', () => {
    let now = new Date(2030, 0, 1, 0, 0, 0);
    const fired: string[] = [];
    const scheduler = createScheduler({ now: () => now, onDue: (name, action) => fired.push(`${name}:${action}`) });
    scheduler.plan('a', '0 * * * *', 'backup');
    const first = scheduler.nextRun('a')!;
    now = new Date(first.getTime() - 1);
    scheduler.tick();
    expect(fired).toEqual([]);
    scheduler.plan('a', '0 * * * *', 'backup');
    expect(scheduler.nextRun('a')).toEqual(first);
    now = first;
    scheduler.tick();
    scheduler.tick();
    expect(fired).toEqual(['a:backup']);
    expect(scheduler.nextRun('a')!.getTime()).toBeGreaterThan(first.getTime());
    scheduler.plan('a', '0 3 * * *', 'backup');
    expect(scheduler.nextRun('a')!.getHours()).toBe(3);
    scheduler.unplan('a');
    expect(scheduler.nextRun('a')).toBeUndefined();
  });
});
