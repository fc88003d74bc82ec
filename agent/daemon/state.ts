// The agent's persisted knowledge per container, and pure updates to it.
import * as z from 'zod';
import type { ChainSummary, JobAction, JobOutcome } from '../core/job.js';
import { consistencyOf, consistencyStateSchema } from './consistency-state.js';
import { drillSchema, recordDrill } from './drill-state.js';

const chainSchema = z.object({
  chains: z.number(),
  setsInActiveChain: z.number(),
  lastFull: z.string().optional(),
  lastBackup: z.string().optional(),
});

const recordSchema = z.object({
  last_attempt: z.string().optional(),
  last_success: z.string().optional(),
  last_failure: z.string().optional(),
  last_error: z.string().nullable().optional(),
  duration_ms: z.number().optional(),
  bytes: z.number().optional(),
  // Bytes the active chain takes on the target: the full's bytes plus each incremental's.
  active_chain_bytes: z.number().optional(),
  chain: chainSchema.optional(),
  orphaned_since: z.string().nullable().optional(),
  // A backup stopped by shutdown: the next start runs it again (duplicity resumes).
  interrupted: z.boolean().optional(),
  last_prune: z.string().optional(),
  // The container's lxc.idmap lines at its last backup, needed to restore an unprivileged container.
  idmaps: z.array(z.string()).optional(),
  // When the agent first saw the container: staleness counts from here until a first success.
  first_seen: z.string().optional(),
  // Set while the container is stale (its `fail` notification was sent); cleared by a success.
  stale_since: z.string().nullable().optional(),
  // How the guest was kept still in the last successful backup (daemon/consistency-state.ts).
  consistency: consistencyStateSchema.optional(),
  // Restore drills (drill-state.ts): the newest successful one, and the newest one.
  last_verified: z.string().optional(),
  last_drill: drillSchema.optional(),
  // The last successful backup found nothing changed and skipped duplicity.
  unchanged: z.boolean().optional(),
});

// The whole of state.json.
export const stateSchema = z.object({ version: z.literal(1), containers: z.record(z.string(), recordSchema) });

export type ContainerRecord = z.infer<typeof recordSchema>;
export type AgentState = z.infer<typeof stateSchema>;

// An empty state.
export function emptyState(): AgentState {
  return { version: 1, containers: {} };
}

// The record after a job started.
export function recordStart(record: ContainerRecord, action: JobAction, at: Date): ContainerRecord {
  return action === 'backup' ? { ...record, last_attempt: at.toISOString() } : record;
}

// The record after a job ended; `interrupted` when shutdown aborted it.
export function recordOutcome(
  record: ContainerRecord,
  action: JobAction,
  outcome: JobOutcome,
  at: Date,
  interrupted: boolean,
): ContainerRecord {
  const iso = at.toISOString();
  if (action === 'drill') return recordDrill(record, outcome, interrupted);
  if (interrupted) return action === 'backup' ? { ...record, interrupted: true } : record;
  if (outcome.ok) {
    const next: ContainerRecord = { ...record, last_error: null, ...(outcome.chain ? { chain: outcome.chain } : {}) };
    if (action === 'prune') return { ...next, last_prune: iso };
    return {
      ...next,
      last_success: iso,
      unchanged: outcome.unchanged === true,
      duration_ms: outcome.durationMs,
      interrupted: false,
      ...(outcome.bytes !== undefined ? { bytes: outcome.bytes } : {}),
      ...chainBytes(record, outcome),
      ...consistencyOf(outcome),
    };
  }
  const message = outcome.failure?.message ?? 'failed';
  return {
    ...record,
    last_failure: iso,
    last_error: action === 'prune' ? `prune: ${message}` : message,
    ...(action === 'backup' ? { duration_ms: outcome.durationMs, interrupted: false } : {}),
  };
}

// The active chain's size after a successful backup: restarts with a new chain (a full),
// grows with an incremental, and stays unknown when an earlier set's size is unknown.
function chainBytes(record: ContainerRecord, outcome: JobOutcome): { active_chain_bytes?: number } {
  if (outcome.bytes === undefined || !outcome.chain) return {};
  if (outcome.chain.setsInActiveChain <= 1) return { active_chain_bytes: outcome.bytes };
  return record.active_chain_bytes === undefined ? {} : { active_chain_bytes: record.active_chain_bytes + outcome.bytes };
}

// A record rebuilt from what the target holds (after the state file was lost): the newest
// backup counts as the last attempt and success, so schedules and staleness continue from it.
export function recordFromChain(record: ContainerRecord, chain: ChainSummary): ContainerRecord {
  if (record.last_success || !chain.lastBackup) return { ...record, chain };
  return { ...record, chain, last_success: chain.lastBackup, last_attempt: record.last_attempt ?? chain.lastBackup };
}

// The record of a container discovery sees (at start or on arrival): no longer orphaned, its
// current idmaps, and first seen now unless it was seen before.
export function recordSeen(record: ContainerRecord, idmaps: string[], at: Date): ContainerRecord {
  return { ...record, orphaned_since: null, idmaps, first_seen: record.first_seen ?? at.toISOString() };
}

// The record of a container whose directory is gone: its backups are kept, its schedule ends.
export function recordOrphaned(record: ContainerRecord, at: Date): ContainerRecord {
  return { ...record, orphaned_since: at.toISOString() };
}
