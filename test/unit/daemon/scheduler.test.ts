// The scheduler: each planned entry fires once per slot, and a re-plan with the same schedule keeps its next run.
import { describe, expect, it } from 'vitest';
import { createScheduler } from '../../../agent/daemon/scheduler.js';

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
