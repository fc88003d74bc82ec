import { describe, expect, it } from 'vitest';
import { createDrillScheduler } from '../../../agent/daemon/drill-scheduler.js';
import { policySchema } from '../../../agent/policy/schema.js';
import type { ContainerRecord } from '../../../agent/daemon/state.js';

const settings = policySchema.parse({ version: 1, defaults: { verify: { every: '1m' } } }).defaults;

function world(records: Record<string, ContainerRecord>, idle = true) {
  const enqueued: string[] = [];
  let now = new Date('2026-12-01T12:00:00Z');
  const scheduler = createDrillScheduler({
    now: () => now,
    names: () => Object.keys(records),
    settings: () => settings,
    record: (name) => records[name] ?? {},
    idle: () => idle,
    enqueue: (name) => void enqueued.push(name),
  });
  return {
    scheduler,
    enqueued,
    advance: (ms: number) => (now = new Date(now.getTime() + ms)),
    setIdle: (value: boolean) => (idle = value),
  };
}

describe('drill scheduler', () => {
  it('enqueues the most overdue drill, one per tick, and only when the queue is idle', () => {
    const w = world(
      {
        recent: { last_success: '2026-12-01T11:58:00.000Z' },
        older: { last_success: '2026-12-01T11:50:00.000Z' },
        never: {},
      },
      false,
    );
    w.scheduler.tick();
    expect(w.enqueued).toEqual([]);
    w.setIdle(true);
    w.scheduler.tick();
    expect(w.enqueued).toEqual(['older']);
  });

  it('waits until a drill is due', () => {
    const w = world({ web: { last_success: '2026-12-01T12:00:00.000Z' } });
    w.scheduler.tick();
    expect(w.enqueued).toEqual([]);
    w.advance(2 * 60_000);
    w.scheduler.tick();
    expect(w.enqueued).toEqual(['web']);
  });
});
