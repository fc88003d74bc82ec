// What a reload changes: new plans for every known container, the changed names, restart-only keys.
import { describe, expect, it } from 'vitest';
import { reloadPlan } from '../../../agent/daemon/reload-plan.js';
import { knownWith, policyWith } from './known-fixture.js';

const records = { gone: {} };
const present = ['a', 'b', 'c'];

describe('reloadPlan', () => {
  it('reschedules, unschedules and keeps pruning as the new policy says, and names what changed', () => {
    const before = policyWith();
    const after = policyWith('containers: { a: { enabled: false }, b: { schedule: "30 5 * * *" }, gone: { retention: { keep_full: 1 } } }');
    const plan = reloadPlan(before, knownWith(after, present, records));
    expect(plan.plans).toEqual([
      { name: 'a', plan: undefined },
      { name: 'b', plan: { action: 'backup', expression: '30 5 * * *' } },
      { name: 'c', plan: { action: 'backup', expression: '0 3 * * *' } },
      { name: 'gone', plan: { action: 'prune', expression: '0 3 * * *' } },
    ]);
    expect(plan.changed).toEqual(['a', 'b', 'gone']);
    expect(plan.needsRestart).toBe(false);
  });

  it.each([
    ['host_root', { host_root: '/elsewhere' }],
    ['state_dir', { state_dir: '/elsewhere' }],
    ['metrics', { metrics: { ...policyWith().metrics, textfile: '/var/lib/node_exporter/lxc_backup.prom' } }],
  ])('a %s change waits for a restart', (_, change) => {
    const before = policyWith();
    expect(reloadPlan(before, knownWith({ ...before, ...change }, present, records)).needsRestart).toBe(true);
  });
});
