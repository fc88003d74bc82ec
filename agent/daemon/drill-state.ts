// What a drill keeps in a container's record (state.json): the newest drill and the newest
// successful one. A drill changes only these, never the backup's last_success or last_error
// (it neither proves nor breaks the newest backup's run).
import * as z from 'zod';
import type { DrillSummary, JobOutcome } from '../core/job.js';

// last_drill as state.json holds it.
export const drillSchema = z.object({
  ok: z.boolean(),
  at: z.string(),
  duration_ms: z.number(),
  sampled: z.number(),
  mismatches: z.number(),
  booted: z.boolean().optional(),
  examples: z.array(z.string()).optional(),
});

// The drill fields of a record.
export interface DrillFields {
  last_verified?: string;
  last_drill?: DrillSummary;
}

// The record after a drill ended; an interrupted drill (shutdown) leaves it as it was.
export function recordDrill<R extends DrillFields>(record: R, outcome: JobOutcome, interrupted: boolean): R {
  if (interrupted || !outcome.drill) return record;
  const drill = outcome.drill;
  return { ...record, last_drill: drill, ...(drill.ok ? { last_verified: drill.at } : {}) };
}
