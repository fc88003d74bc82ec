// What a manual trigger does with each name, before the queue queues or merges it.
import { describe, expect, it } from 'vitest';
import type { JobAction } from '../../../agent/core/job.js';
import { type TriggerVerdict, triggerPlan } from '../../../agent/daemon/trigger-plan.js';
import { knownWith, policyWith } from './known-fixture.js';

const known = knownWith(
  policyWith('containers: { off: { enabled: false } }\nignore: ["tmp-*"]'),
  ['web', 'off', 'tmp-1', 'backup', { name: 'zfs1', unsupported: 'zfs pool' }],
  { web: {}, gone: { orphaned_since: '2030-01-01T00:00:00.000Z', last_success: '2029-12-01T00:00:00.000Z' } },
);

describe('triggerPlan', () => {
  it.each<[string, JobAction, string, TriggerVerdict]>([
    ['a present container is queued', 'backup', 'web', { name: 'web', kind: 'enqueue' }],
    ['a name nobody knows', 'backup', 'nope', { name: 'nope', kind: 'unknown' }],
    ['a disabled container', 'backup', 'off', { name: 'off', kind: 'skipped', reason: 'disabled' }],
    ['an ignored container', 'backup', 'tmp-1', { name: 'tmp-1', kind: 'skipped', reason: 'ignored by the policy' }],
    ['the backup container itself', 'backup', 'backup', { name: 'backup', kind: 'skipped', reason: 'self' }],
    ['an unsupported container, with its reason', 'backup', 'zfs1', { name: 'zfs1', kind: 'skipped', reason: 'zfs pool' }],
    ['an orphan cannot be backed up', 'backup', 'gone', { name: 'gone', kind: 'skipped', reason: 'orphaned: its directory is gone' }],
    ['an orphan can be pruned', 'prune', 'gone', { name: 'gone', kind: 'enqueue' }],
    [
      'a container without a backup has nothing to drill',
      'drill',
      'web',
      { name: 'web', kind: 'skipped', reason: 'no backup to drill yet' },
    ],
    ["an orphan's last backup can be drilled", 'drill', 'gone', { name: 'gone', kind: 'enqueue' }],
  ])('%s', (_, action, name, expected) => {
    expect(triggerPlan(known, action, [name])).toEqual([expected]);
  });

  it("'all' means every included container; orphans only for prune", () => {
    const names = (action: JobAction) => triggerPlan(known, action, 'all').map((v) => `${v.name}:${v.kind}`);
    expect(names('backup')).toEqual(['web:enqueue']);
    expect(names('prune')).toEqual(['web:enqueue', 'gone:enqueue']);
  });
});
