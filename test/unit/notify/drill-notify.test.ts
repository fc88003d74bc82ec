// A drill's notifications: a failure goes everywhere a failed backup goes, naming the first
// mismatches; a start is no news, a pass reaches the webhook only.
import { describe, expect, it } from 'vitest';
import type { JobEnd } from '../../../agent/daemon/job-queue.js';
import { notifyEventOf } from '../../../agent/notify/event.js';
import { buildRequests, type NotifySettings } from '../../../agent/notify/payloads.js';

const at = new Date('2030-01-02T03:04:05.000Z');
const settings: NotifySettings = {
  ping: { start: 'https://hc.example/s', success: 'https://hc.example/ok', fail: 'https://hc.example/fail' },
  webhook: 'https://hooks.example/lxc',
  ntfy: 'https://ntfy.example/backups',
  timeout: '10s',
  retries: 2,
};
const end = (ok: boolean): JobEnd => ({
  outcome: ok
    ? { ok, durationMs: 9000 }
    : { ok, durationMs: 9000, failure: { kind: 'permanent', message: 'drill: 1 mismatch(es): rootfs/etc/plan: content differs' } },
  interrupted: false,
  timedOut: false,
  attempt: 1,
});

describe('drill notifications', () => {
  it('sends a failed drill to every channel, naming the mismatch', () => {
    const event = notifyEventOf({ type: 'job-end', container: 'web', action: 'drill', end: end(false), at }, 'host1');
    expect(event).toMatchObject({ event: 'fail', action: 'drill', error: expect.stringContaining('rootfs/etc/plan: content differs') });
    const channels = buildRequests(event!, settings).map((r) => r.channel);
    expect(channels.sort()).toEqual(['ntfy', 'ping.fail', 'webhook']);
  });

  it('says nothing when a drill starts, and tells only the webhook when it passes', () => {
    expect(notifyEventOf({ type: 'job-start', container: 'web', action: 'drill', at }, 'host1')).toBeUndefined();
    const passed = notifyEventOf({ type: 'job-end', container: 'web', action: 'drill', end: end(true), at }, 'host1');
    expect(buildRequests(passed!, settings).map((r) => r.channel)).toEqual(['webhook']);
  });
});
