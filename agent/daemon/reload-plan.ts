// What a policy reload changes (pure): each known container's new schedule plan, the names
// whose effective settings changed, and whether it touches settings that wait for a restart.
import type { Policy } from '../policy/schema.js';
import { changedContainers } from './container-rules.js';
import { type Known, knownNames } from './known.js';
import { type SchedulePlan, schedulePlan } from './schedule-plan.js';

// The decisions of one reload; `known` already holds the new policy.
export interface ReloadPlan {
  plans: Array<{ name: string; plan: SchedulePlan }>;
  changed: string[];
  // host_root, state_dir or metrics differ: those are read once, at start.
  needsRestart: boolean;
}

// Plans the reload from `before` to the policy in `known`.
export function reloadPlan(before: Policy, known: Known): ReloadPlan {
  const after = known.policy;
  const names = knownNames(known);
  return {
    plans: [...names].map((name) => ({ name, plan: schedulePlan(known, name) })),
    changed: changedContainers(before, after, names),
    needsRestart:
      after.host_root !== before.host_root ||
      after.state_dir !== before.state_dir ||
      JSON.stringify(after.metrics) !== JSON.stringify(before.metrics),
  };
}
