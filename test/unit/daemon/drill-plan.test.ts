import { describe, expect, it } from 'vitest';
import { type ContainerView, containerState } from '../../../agent/daemon/status-report.js';
import { drillDueAt, drillMaxAgeMs, drillOffsetMs, drillsOff, isUnverified, nextDrillAfter } from '../../../agent/daemon/drill-plan.js';

const verify = (every: string | null, max_age = 'auto', key_file: string | null = null) => ({
  verify: { every, sample: 2, boot: false, max_age, timeout: '6h', key_file },
});
const pubkey = { mode: 'pubkey' as const, encrypt_keys: ['0123456789ABCDEF0123456789ABCDEF01234567'] };
const symmetric = { mode: 'symmetric' as const, passphrase: '${PASSPHRASE}' };
const MIN = 60_000;
const DAY = 86_400_000;

describe('drill schedule', () => {
  it('spreads containers over a window of at most 15 min and a quarter of the interval', () => {
    const offsets = ['a', 'b', 'c', 'd', 'e', 'f'].map((name) => drillOffsetMs(name, 7 * DAY));
    expect(new Set(offsets).size).toBe(6);
    for (const offset of offsets) expect(offset).toBeLessThan(15 * MIN);
    expect(drillOffsetMs('a', MIN)).toBeLessThan(15_000);
  });

  it('runs at the first slot after the last drill, or after the first backup', () => {
    const after = new Date('2026-12-01T10:00:00Z');
    const next = nextDrillAfter('web', MIN, after);
    expect(next.getTime()).toBeGreaterThan(after.getTime());
    expect(next.getTime() - after.getTime()).toBeLessThanOrEqual(MIN);
    const record = { last_success: '2026-12-01T10:00:00.000Z' };
    expect(drillDueAt('web', verify('1m'), record)).toEqual(next);
    const drilled = { ...record, last_drill: { ok: true, at: '2026-12-01T10:05:00.000Z', duration_ms: 1, sampled: 1, mismatches: 0 } };
    expect(drillDueAt('web', verify('1m'), drilled)?.getTime()).toBeGreaterThan(Date.parse('2026-12-01T10:05:00Z'));
  });

  it('never schedules a drill before the first backup or with every: null', () => {
    expect(drillDueAt('web', verify('1m'), {})).toBeUndefined();
    expect(drillDueAt('web', verify(null), { last_success: '2026-12-01T10:00:00.000Z' })).toBeUndefined();
  });
});

describe('unverified (drill staleness)', () => {
  const now = new Date('2026-12-20T00:00:00Z');
  const backedUp = { first_seen: '2026-12-01T00:00:00.000Z', last_success: '2026-12-19T03:00:00.000Z' };

  it('max_age defaults to twice every', () => {
    expect(drillMaxAgeMs(verify('7D'))).toBe(14 * DAY);
    expect(drillMaxAgeMs(verify('7D', '3D'))).toBe(3 * DAY);
    expect(drillMaxAgeMs(verify(null))).toBeUndefined();
  });

  it('is unverified with no passed drill within max_age, counted from first seen until the first drill', () => {
    expect(isUnverified(verify('7D'), backedUp, now)).toBe(true);
    expect(isUnverified(verify('7D'), { ...backedUp, last_verified: '2026-12-10T00:00:00.000Z' }, now)).toBe(false);
    expect(isUnverified(verify('7D'), { ...backedUp, last_verified: '2026-12-05T00:00:00.000Z' }, now)).toBe(true);
    expect(isUnverified(verify('7D'), { ...backedUp, first_seen: '2026-12-15T00:00:00.000Z' }, now)).toBe(false);
  });

  it('is never unverified with drills off or before a first backup', () => {
    expect(isUnverified(verify(null), backedUp, now)).toBe(false);
    expect(isUnverified(verify('7D'), { first_seen: '2026-01-01T00:00:00.000Z' }, now)).toBe(false);
  });
});

describe('drills off (pubkey mode without verify.key_file)', () => {
  const now = new Date('2026-12-20T00:00:00Z');
  const backedUp = { first_seen: '2026-01-01T00:00:00.000Z', last_success: '2026-12-19T03:00:00.000Z' };

  it('turns scheduled drills off in pubkey mode without a key_file, saying why', () => {
    const off = drillsOff({ ...verify('7D'), encryption: pubkey });
    expect(off?.cause).toBe('no_key');
    expect(off?.reason).toMatch(/pubkey.*verify\.key_file is not set.*--key FILE/);
    expect(drillDueAt('web', { ...verify('1m'), encryption: pubkey }, backedUp)).toBeUndefined();
    expect(isUnverified({ ...verify('7D'), encryption: pubkey }, backedUp, now)).toBe(false);
  });

  it('keeps them on with a key_file, or in symmetric mode', () => {
    const keyed = { ...verify('7D', 'auto', '/root/drill-key.asc'), encryption: pubkey };
    expect(drillsOff(keyed)).toBeUndefined();
    expect(isUnverified(keyed, backedUp, now)).toBe(true);
    expect(drillsOff({ ...verify('7D'), encryption: symmetric })).toBeUndefined();
    expect(isUnverified({ ...verify('7D'), encryption: symmetric }, backedUp, now)).toBe(true);
  });

  it('says off for every: null too, whatever the mode', () => {
    expect(drillsOff({ ...verify(null), encryption: symmetric })).toEqual({ cause: 'every_null', reason: 'verify.every is null' });
  });
});

describe('status word with drills', () => {
  const view = (over: Partial<ContainerView>): ContainerView => ({
    name: 'web',
    record: { last_success: '2030-01-01T00:00:00.000Z' },
    disabled: false,
    running: false,
    ...over,
  });
  it.each<[Partial<ContainerView>, string]>([
    [{ unverified: true }, 'unverified'],
    [{ unverified: false }, 'ok'],
    [{ unverified: true, stale: true }, 'stale'],
    [{ unverified: true, running: true }, 'running'],
    [{ unverified: true, record: { last_success: '2030-01-01T00:00:00.000Z', last_failure: '2030-01-02T00:00:00.000Z' } }, 'failing'],
    [{ unverified: true, record: {} }, 'pending'],
  ])('%j -> %s', (over, expected) => {
    expect(containerState(view(over))).toBe(expected);
  });
});
