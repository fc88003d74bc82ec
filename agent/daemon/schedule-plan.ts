// What the scheduler holds for each container (pure): backups while it is present and
// included, prunes only once it is gone (if removed containers keep being pruned), or nothing.
import type { JobAction } from '../core/job.js';
import { resolveContainer } from '../policy/resolve.js';
import { hasRetention, scheduleOf } from './container-rules.js';
import { exclusionIn, type Known } from './known.js';

// A container's planned job and its cron expression; undefined means unscheduled.
export type SchedulePlan = { action: JobAction; expression: string } | undefined;

// The plan for one container under the snapshot's policy.
export function schedulePlan(known: Known, name: string): SchedulePlan {
  const { policy } = known;
  const exclusion = exclusionIn(known, name);
  if (exclusion) return undefined;
  if (known.present.has(name)) return { action: 'backup', expression: scheduleOf(policy, name) };
  const keepPruning = policy.removed_containers.prune && hasRetention(resolveContainer(policy, name).settings);
  return keepPruning ? { action: 'prune', expression: scheduleOf(policy, name) } : undefined;
}
