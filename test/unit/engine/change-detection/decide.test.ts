// The decision table: a skip needs every row to agree; each row alone forces a real backup.
import { describe, expect, it } from 'vitest';
import { decideUnchanged, type ChangeFacts } from '../../../../agent/engine/change-detection/decide.js';

const DAY = 86_400_000;
const now = Date.parse('2026-12-01T03:00:00Z');
const same = { fingerprint: 'f1', settings: 's1', target: 'file:///t/web' };
const skippable = (): ChangeFacts => ({
  explicit: false,
  previous: { ...same, settled: true, backedUpAtMs: now - DAY, cacheIntact: true },
  current: { ...same },
  lastFullMs: now - 10 * DAY,
  fullEveryMs: 30 * DAY,
  maxUnchangedMs: 7 * DAY,
  nowMs: now,
});

describe('decideUnchanged', () => {
  it('skips when nothing changed, the cache is intact, no full is due and max_unchanged is not reached', () => {
    expect(decideUnchanged(skippable())).toEqual({ skip: true });
  });

  it('skips with full_every off (no full needed in the cache then)', () => {
    const { fullEveryMs: _f, lastFullMs: _l, ...facts } = skippable();
    expect(decideUnchanged(facts)).toEqual({ skip: true });
  });

  const base = skippable();
  const prev = base.previous as NonNullable<ChangeFacts['previous']>;
  it.each<[string, Partial<ChangeFacts>, RegExp]>([
    ['an explicit backup', { explicit: true }, /explicit/],
    ['no earlier record', { previous: undefined }, /no record/],
    ['an unsettled record', { previous: { ...prev, settled: false } }, /moments before/],
    ['a different fingerprint', { current: { ...same, fingerprint: 'f2' } }, /container changed/],
    ['different settings (excludes, encryption…)', { current: { ...same, settings: 's2' } }, /policy/],
    ['a different target', { current: { ...same, target: 'file:///u/web' } }, /target changed/],
    ['a changed archive cache', { previous: { ...prev, cacheIntact: false } }, /archive cache/],
    ['a record from the future (clock went back)', { previous: { ...prev, backedUpAtMs: now + 1 } }, /clock/],
    ['max_unchanged reached', { previous: { ...prev, backedUpAtMs: now - 7 * DAY } }, /max_unchanged/],
    ['a due full', { lastFullMs: now - 30 * DAY }, /full backup is due/],
    ['no full in the cache', { lastFullMs: undefined }, /no full/],
    ['a full from the future', { lastFullMs: now + DAY }, /no full/],
  ])('runs duplicity for %s', (_what, change, reason) => {
    const decision = decideUnchanged({ ...base, ...change });
    expect(decision.skip).toBe(false);
    expect(decision).toHaveProperty('reason', expect.stringMatching(reason));
  });

  it('counts max_unchanged from the last real backup, to the millisecond', () => {
    expect(decideUnchanged({ ...base, previous: { ...prev, backedUpAtMs: now - 7 * DAY + 1 } }).skip).toBe(true);
  });
});
