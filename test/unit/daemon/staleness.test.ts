// Staleness: the max_age rule, the stale test itself, episodes (one report each) and the status word.
import { describe, expect, it } from 'vitest';
import { createStaleWatch } from '../../../agent/daemon/stale-watch.js';
import { deriveMaxAgeMs, maxAgeMs, staleReason, staleSince } from '../../../agent/daemon/staleness.js';
import { containerState, type ContainerView } from '../../../agent/daemon/status-report.js';
import type { ContainerRecord } from '../../../agent/daemon/state.js';
import type { Settings } from '../../../agent/policy/schema.js';

const H = 3_600_000;

describe('max_age', () => {
  it.each([
    ['0 3 * * *', 48 * H, 'daily: 2 days'],
    ['0 * * * *', 2 * H, 'hourly: 2 h'],
    ['*/5 * * * *', H, 'every 5 min: the 1 h floor'],
    ['0 */6 * * *', 12 * H, 'every 6 h: 12 h'],
    ['0 3 * * 1-5', (72 + 24) * H, 'weekdays: the weekend gap plus a day'],
    ['0 3 * * 0', 14 * 24 * H, 'weekly: 2 weeks'],
  ])('%s -> %s ms (%s)', (schedule, expected) => {
    expect(deriveMaxAgeMs(schedule)).toBe(expected);
  });

  it('an explicit max_age wins over the derived one', () => {
    expect(maxAgeMs({ schedule: '0 3 * * *', max_age: '26h' } as Settings)).toBe(26 * H);
    expect(maxAgeMs({ schedule: '0 3 * * *', max_age: 'auto' } as Settings)).toBe(48 * H);
  });
});

describe('staleSince', () => {
  const now = new Date('2030-01-10T12:00:00.000Z');
  it.each<[string, ContainerRecord, Date | undefined]>([
    ['recent success', { last_success: '2030-01-09T12:00:00.000Z' }, undefined],
    ['success exactly max_age ago', { last_success: '2030-01-08T12:00:00.000Z' }, now],
    ['old success', { last_success: '2030-01-01T00:00:00.000Z' }, new Date('2030-01-03T00:00:00.000Z')],
    [
      'old success, recent failures',
      { last_success: '2030-01-01T00:00:00.000Z', last_failure: '2030-01-10T11:00:00.000Z' },
      new Date('2030-01-03T00:00:00.000Z'),
    ],
    ['never succeeded, seen recently', { first_seen: '2030-01-10T00:00:00.000Z' }, undefined],
    ['never succeeded, seen long ago', { first_seen: '2030-01-01T00:00:00.000Z' }, new Date('2030-01-03T00:00:00.000Z')],
    ['nothing known', {}, undefined],
  ])('%s', (_, record, expected) => {
    expect(staleSince(record, 48 * H, now)).toEqual(expected);
  });

  it('gives a reason without secrets', () => {
    expect(staleReason({ last_success: '2030-01-01T00:00:00.000Z' }, 48 * H)).toBe(
      'no successful backup for longer than max_age (48 h); the last one was at 2030-01-01T00:00:00.000Z',
    );
  });
});

describe('stale episodes', () => {
  it('reports once when a container becomes stale, ends the episode on a success, and starts a new one later', () => {
    let clock = new Date('2030-01-10T00:00:00.000Z');
    const records: Record<string, ContainerRecord> = {
      web: { last_success: '2030-01-09T00:00:00.000Z' },
      off: { first_seen: '2001-01-01T00:00:00.000Z' },
    };
    const events: string[] = [];
    const watch = createStaleWatch({
      names: () => Object.keys(records),
      eligible: (name) => name !== 'off',
      settings: () => ({ schedule: '0 3 * * *', max_age: 'auto' }) as Settings,
      record: (name) => records[name]!,
      update: (name, next) => (records[name] = next),
      now: () => clock,
      becameStale: (name, reason) => events.push(`stale ${name}: ${reason.slice(0, 20)}`),
      recovered: (name) => events.push(`recovered ${name}`),
    });
    expect(watch.checkAll()).toBe(false);
    clock = new Date('2030-01-11T00:00:00.001Z');
    expect(watch.checkAll()).toBe(true);
    expect(watch.isStale('web')).toBe(true);
    expect(records.web!.stale_since).toBe('2030-01-11T00:00:00.001Z');
    clock = new Date('2030-01-12T00:00:00.000Z');
    expect(watch.checkAll()).toBe(false);
    records.web = { ...records.web!, last_success: clock.toISOString() };
    expect(watch.check('web')).toBe(true);
    clock = new Date('2030-01-15T00:00:00.000Z');
    watch.checkAll();
    expect(events).toEqual(['stale web: no successful backup', 'recovered web', 'stale web: no successful backup']);
    expect(watch.isStale('off')).toBe(false);
  });
});

describe('status word', () => {
  const view = (over: Partial<ContainerView>): ContainerView => ({
    name: 'web',
    record: { last_success: '2030-01-01T00:00:00.000Z' },
    disabled: false,
    running: false,
    ...over,
  });
  it.each<[Partial<ContainerView>, string]>([
    [{ stale: true }, 'stale'],
    [{ stale: true, record: { last_success: '2030-01-01T00:00:00.000Z', last_failure: '2030-01-02T00:00:00.000Z' } }, 'stale'],
    [{ stale: true, running: true }, 'running'],
    [{ stale: true, disabled: true }, 'disabled'],
    [{ stale: false }, 'ok'],
  ])('%j -> %s', (over, expected) => {
    expect(containerState(view(over))).toBe(expected);
  });
});
