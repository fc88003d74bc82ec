// The consistency of a container's last successful backup as the state file keeps it, and how
// it reads in status and the job-end log line (README "Consistent backups").
import * as z from 'zod';
import type { ConsistencyRecord, JobOutcome } from '../core/job.js';

// The mode and, when it fell back, why; how long the guest was paused.
export const consistencyStateSchema = z.object({
  mode: z.enum(['snapshot', 'freeze', 'live', 'stopped']),
  reason: z.string().optional(),
  paused_ms: z.number().optional(),
});

// What state.json keeps of a backup's consistency (the hooks' output stays in the log).
export type ConsistencyState = z.infer<typeof consistencyStateSchema>;

// The part of a record a backup outcome sets: its consistency, without the hooks' output.
export function consistencyOf(outcome: JobOutcome): { consistency?: ConsistencyState } {
  const c = outcome.consistency;
  if (!c) return {};
  return {
    consistency: {
      mode: c.mode,
      ...(c.reason ? { reason: c.reason } : {}),
      ...(c.paused_ms !== undefined ? { paused_ms: c.paused_ms } : {}),
    },
  };
}

// The job-end log fields of a backup's consistency: mode, reason, pause, and each hook's exit and output tail.
export function consistencyLogFields(c: ConsistencyRecord | undefined): object {
  if (!c) return {};
  return {
    consistency: c.mode,
    ...(c.reason ? { consistency_reason: c.reason } : {}),
    ...(c.paused_ms !== undefined ? { paused_ms: c.paused_ms } : {}),
    ...(c.hooks?.length ? { hooks: c.hooks } : {}),
  };
}
