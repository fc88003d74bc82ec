// The parking decisions: when a down target is probed again, what its health becomes, and
// which parked jobs run when.
import { describe, expect, it } from 'vitest';
import {
  admission,
  afterProbe,
  type Backoff,
  jobsToRelease,
  probeDelayMs,
  slowsDown,
  type TargetHealth,
} from '../../../agent/daemon/target-parking.js';

const MIN = 60_000;
// The agent's defaults: job retries after 1, 2, 4 min (4 attempts), then every 15 min up to 2 h.
const agent: Backoff = { fastMs: MIN, fastAttempts: 4, everyMs: 15 * MIN, maxMs: 120 * MIN };
const now = new Date('2030-01-01T03:00:00.000Z');
const down: ProbeFail = { ok: false, target: 'file:///b', message: 'target file:///b is unreachable: found nothing' };
type ProbeFail = { ok: false; target: string; message: string };

describe('probeDelayMs', () => {
  it.each([
    [1, 1],
    [2, 2],
    [3, 4],
    [4, 15],
    [5, 30],
    [6, 60],
    [7, 120],
    [8, 120],
    [50, 120],
  ])('after %i failed probes waits %i min', (failures, minutes) => {
    expect(probeDelayMs(failures, agent)).toBe(minutes * MIN);
  });

  it.each([
    ['a short cap bounds the fast phase too', { fastMs: MIN, fastAttempts: 4, everyMs: 2000, maxMs: 2000 }, [2000, 2000, 2000, 2000]],
    ['no job retries: slow from the first failure', { fastMs: MIN, fastAttempts: 1, everyMs: 1000, maxMs: 8000 }, [1000, 2000, 4000, 8000]],
    ['two attempts: one fast wait', { fastMs: 10, fastAttempts: 2, everyMs: 100, maxMs: 1000 }, [10, 100, 200, 400]],
  ] as const)('%s', (_case, backoff, expected) => {
    expect([1, 2, 3, 4].map((failures) => probeDelayMs(failures, backoff))).toEqual(expected);
  });

  it('treats zero failures as the first', () => {
    expect(probeDelayMs(0, agent)).toBe(MIN);
  });
});

describe('afterProbe', () => {
  const first = afterProbe(undefined, down, now, agent) as TargetHealth;

  it('marks a target down at its first failed probe, next probe after the first retry delay', () => {
    expect(first).toEqual({ failures: 1, since: now, message: down.message, retryAt: new Date(now.getTime() + MIN) });
    expect(admission(first)).toBe('park');
    expect(admission(undefined)).toBe('probe');
  });

  it('counts further failures, keeps the outage start and takes the newest message', () => {
    const later = new Date(now.getTime() + MIN);
    const second = afterProbe(first, { ...down, message: 'other' }, later, agent) as TargetHealth;
    expect(second).toEqual({ failures: 2, since: now, message: 'other', retryAt: new Date(later.getTime() + 2 * MIN) });
  });

  it('forgets the outage once the target answers', () => {
    expect(afterProbe(first, { ok: true, target: 'file:///b' }, now, agent)).toBeUndefined();
    expect(afterProbe(undefined, { ok: true, target: 'file:///b' }, now, agent)).toBeUndefined();
  });

  it('a manual probe that fails keeps the back-off where it was', () => {
    const manual = afterProbe(first, { ...down, message: 'still' }, new Date(now.getTime() + 5000), agent, true);
    expect(manual).toEqual({ ...first, message: 'still' });
  });

  it('says when the job retries are used up and the slow back-off starts', () => {
    let health: TargetHealth | undefined;
    const slowed: boolean[] = [];
    for (let i = 0; i < 6; i += 1) {
      health = afterProbe(health, down, now, agent) as TargetHealth;
      slowed.push(slowsDown(health, agent));
    }
    expect(slowed).toEqual([false, false, false, true, false, false]);
  });
});

describe('jobsToRelease', () => {
  const parked = [
    { container: 'a', parkedOn: 'file:///b', targetNow: 'file:///b' },
    { container: 'b', parkedOn: 'file:///b', targetNow: 'file:///b' },
    { container: 'c', parkedOn: 'sftp://nas:22', targetNow: 'sftp://nas:22' },
    { container: 'd', parkedOn: 'sftp://nas:22', targetNow: 'file:///elsewhere' },
    { container: 'e', parkedOn: 'sftp://nas:22', targetNow: undefined },
  ];

  it.each([
    ['the target that answered, and those moved elsewhere', 'file:///b', ['a', 'b', 'd', 'e']],
    ['another target answered', 'sftp://nas:22', ['c', 'd', 'e']],
    ['a policy edit (no answer): only those moved elsewhere', undefined, ['d', 'e']],
    ['an unknown target', 's3://x:443', ['d', 'e']],
  ])('%s', (_case, answered, expected) => {
    expect(jobsToRelease(parked, answered)).toEqual(expected);
  });

  it('releases nothing when nothing is parked', () => {
    expect(jobsToRelease([], 'file:///b')).toEqual([]);
  });
});
