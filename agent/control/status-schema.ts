// The shape of a `status` reply's report, checked by the CLI on receipt.
import * as z from 'zod';
import { consistencyStateSchema } from '../daemon/consistency-state.js';
import { drillSchema } from '../daemon/drill-state.js';
import { CONTAINER_STATES, type StatusReport } from '../daemon/status-report.js';

const containerStatusSchema = z.object({
  name: z.string(),
  state: z.enum(CONTAINER_STATES),
  last_success: z.string().nullable(),
  last_error: z.string().nullable(),
  next_run: z.string().nullable(),
  orphaned_since: z.string().nullable(),
  size_bytes: z.number().nullable(),
  chains: z.number().nullable(),
  retry_at: z.string().nullable(),
  consistency: consistencyStateSchema.optional(),
  last_verified: z.string().nullable(),
  last_drill: drillSchema.nullable(),
  drills_off: z.object({ cause: z.enum(['no_key', 'every_null']), reason: z.string() }).optional(),
  unchanged: z.boolean().default(false),
});

// The status report as the agent sends it; keys it does not list are dropped, so it must name them all.
export const statusReportSchema = z.object({
  policy: z.object({ path: z.string(), valid: z.boolean(), error: z.string().nullable() }),
  containers: z.array(containerStatusSchema),
});

// Fails to compile when the schema and StatusReport disagree in either direction.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesReport: Same<z.infer<typeof statusReportSchema>, StatusReport> = true;
void schemaMatchesReport;
