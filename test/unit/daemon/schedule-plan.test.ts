// What the scheduler holds per container: backups while present, prunes for kept orphans, else nothing.
import { describe, expect, it } from 'vitest';
import { schedulePlan } from '../../../agent/daemon/schedule-plan.js';
import { knownWith, policyWith } from './known-fixture.js';

const keepRetention = 'containers: { gone: { retention: { keep_full: 2 } } }\n';

describe('schedulePlan', () => {
  it.each([
    ['a present container is backed up on its schedule', '', 'web', { action: 'backup', expression: '0 3 * * *' }],
    [
      'a per-container schedule wins',
      'containers: { web: { schedule: "30 5 * * *" } }',
      'web',
      { action: 'backup', expression: '30 5 * * *' },
    ],
    ['a disabled container is unscheduled', 'containers: { web: { enabled: false } }', 'web', undefined],
    ['an ignored container is unscheduled', 'ignore: ["we*"]', 'web', undefined],
    ['the backup container itself is unscheduled', '', 'backup', undefined],
    ['an unsupported container is unscheduled', '', 'zfs1', undefined],
    ['an orphan with retention keeps being pruned', keepRetention, 'gone', { action: 'prune', expression: '0 3 * * *' }],
    ['an orphan without retention is unscheduled', '', 'gone', undefined],
    [
      'an orphan is not pruned when removed_containers.prune is off',
      `${keepRetention}removed_containers: { prune: false }`,
      'gone',
      undefined,
    ],
  ])('%s', (_, extra, name, expected) => {
    const known = knownWith(policyWith(extra), ['web', 'backup', { name: 'zfs1', unsupported: 'zfs' }], { gone: {} });
    expect(schedulePlan(known, name)).toEqual(expected);
  });
});
