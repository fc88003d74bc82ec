// Durations: capped milliseconds for timers, exact ones for ages, and the one timeout message.
import { describe, expect, it } from 'vitest';
import { durationMs, durationMsExact, MAX_TIMER_MS, timedOutAfter } from '../../../agent/policy/duration.js';

const DAY_MS = 86_400_000;

describe('durationMs', () => {
  it.each([
    ['90s', 90_000],
    ['1h30m', 5_400_000],
    ['24D', 24 * DAY_MS],
    ['25D', 2_147_483_647],
    ['1Y', 2_147_483_647],
  ])('%s -> %s ms', (text, expected) => {
    expect(durationMs(text)).toBe(expected);
  });

  it('caps exactly at the largest delay a Node timer takes', () => {
    expect(MAX_TIMER_MS).toBe(2 ** 31 - 1);
  });

  it('keeps ages exact (max_age is compared, never timed)', () => {
    expect(durationMsExact('25D')).toBe(25 * DAY_MS);
    expect(durationMsExact('2M')).toBe(60 * DAY_MS);
  });

  it('rejects text that is not a duration', () => {
    expect(() => durationMs('soon')).toThrow('expected a duration like 30D, got "soon"');
  });
});

describe('timedOutAfter', () => {
  it('names the seconds and the policy key', () => {
    expect(timedOutAfter(90_000, 'settings.timeout')).toBe('timed out after 90 s (settings.timeout)');
  });
});
