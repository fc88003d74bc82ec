// The status rows: every known container but ignored ones, then those still settling.
import { describe, expect, it } from 'vitest';
import { containerViews, type Live } from '../../../agent/daemon/status-views.js';
import { knownWith, policyWith } from './known-fixture.js';

const next = new Date('2030-06-16T03:05:00.000Z');
const retry = new Date('2030-06-15T12:12:00.000Z');
const live = (settling: Live['settling'] = []): Live => ({
  running: (name) => name === 'web',
  stale: (name) => name === 'db',
  nextRun: () => next,
  retryAt: (name) => (name === 'db' ? retry : undefined),
  settling,
});

describe('containerViews', () => {
  it('lists present and orphaned containers with what the queue, stale watch and scheduler say', () => {
    const known = knownWith(
      policyWith('containers: { off: { enabled: false } }\nignore: ["tmp-*"]'),
      ['web', 'db', 'off', 'tmp-1', 'backup', { name: 'zfs1', unsupported: 'zfs pool' }],
      { gone: { orphaned_since: '2030-01-01T00:00:00.000Z' } },
    );
    const rows = containerViews(known, live()).map((v) => [v.name, v.disabled, v.unsupported, v.running, v.stale, v.nextRun, v.retryAt]);
    expect(rows).toEqual([
      ['web', false, undefined, true, false, next, undefined],
      ['db', false, undefined, false, true, next, retry],
      ['off', true, undefined, false, false, next, undefined],
      ['backup', true, undefined, false, false, next, undefined],
      ['zfs1', false, 'zfs pool', false, false, next, undefined],
      ['gone', false, undefined, false, false, undefined, undefined],
    ]);
  });

  it('adds settling containers after the known ones, skipping those already known', () => {
    const dueAt = new Date('2030-06-15T12:00:00.000Z');
    const known = knownWith(policyWith('new_containers: { first_backup: immediate }'), ['web']);
    const views = containerViews(
      known,
      live([
        { name: 'web', dueAt },
        { name: 'new', dueAt },
      ]),
    );
    expect(views.map((v) => [v.name, v.settling ?? false])).toEqual([
      ['web', false],
      ['new', true],
    ]);
  });
});
