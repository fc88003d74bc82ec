// The `status` report, built from what the daemon knows (pure).
import type { ConsistencyState } from './consistency-state.js';
import type { DrillSummary } from '../core/job.js';
import type { ContainerRecord } from './state.js';
import type { DrillsOff } from './drill-plan.js';

export type ContainerState =
  | 'settling'
  | 'ok'
  | 'running'
  | 'pending'
  | 'failing'
  | 'stale'
  | 'unverified'
  | 'orphaned'
  | 'disabled'
  | 'unsupported';

// Every state word, for metrics that report one series per state.
export const CONTAINER_STATES: readonly ContainerState[] = [
  'settling',
  'ok',
  'running',
  'pending',
  'failing',
  'stale',
  'unverified',
  'orphaned',
  'disabled',
  'unsupported',
];

// One row of `status --json`.
export interface ContainerStatus {
  name: string;
  state: ContainerState;
  last_success: string | null;
  last_error: string | null;
  // For a settling container: its expected first backup (when first_backup is immediate).
  next_run: string | null;
  orphaned_since: string | null;
  // When a failed job is tried again (a transient failure's retry, or the next probe of a target
  // that does not answer); null when nothing is pending before the next run.
  retry_at: string | null;
  // Bytes on the target for the active chain (sum of its sets' sizes), null when unknown.
  size_bytes: number | null;
  // Chains on the target, null before the first backup.
  chains: number | null;
  // How the last successful backup kept the guest still; absent before the first one.
  consistency?: ConsistencyState;
  // Restore drills: the newest successful one, and the newest one (null before the first).
  last_verified: string | null;
  last_drill: DrillSummary | null;
  // Present when scheduled drills are off for the container, saying why (drill-plan.ts).
  drills_off?: DrillsOff;
  // The last successful backup found nothing changed and skipped duplicity (`ok (unchanged)`).
  unchanged: boolean;
}

// The whole of `status --json`.
export interface StatusReport {
  policy: { path: string; valid: boolean; error: string | null };
  containers: ContainerStatus[];
}

// Everything the report needs about one container.
export interface ContainerView {
  name: string;
  record: ContainerRecord;
  // Set when the container is never backed up (disabled, the backup container itself).
  disabled: boolean;
  unsupported?: string;
  running: boolean;
  // No successful backup younger than max_age (see staleness.ts).
  stale?: boolean;
  // No successful restore drill within verify.max_age (drill-plan.ts).
  unverified?: boolean;
  drillsOff?: DrillsOff;
  nextRun?: Date;
  retryAt?: Date;
  // Seen on disk but not taken on yet: discovery waits `settle` for its config to stop changing.
  settling?: boolean;
}

// The state word for a container; a failure newer than the last success is `failing`;
// `stale` (no success within max_age) outranks both, a running job outranks `stale`.
export function containerState(view: ContainerView): ContainerState {
  if (view.settling) return 'settling';
  if (view.unsupported) return 'unsupported';
  if (view.disabled) return 'disabled';
  if (view.record.orphaned_since) return 'orphaned';
  if (view.running) return 'running';
  if (view.stale) return 'stale';
  const { last_success: success, last_failure: failure } = view.record;
  if (failure && (!success || failure > success)) return 'failing';
  if (success && view.unverified) return 'unverified';
  return success ? 'ok' : 'pending';
}

// Builds the report; `problems` are the formatted lines of a rejected policy edit.
export function buildStatus(policyPath: string, problems: readonly string[], views: readonly ContainerView[]): StatusReport {
  return {
    policy: { path: policyPath, valid: problems.length === 0, error: problems.length ? problems.join('\n') : null },
    containers: [...views]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((view) => ({
        name: view.name,
        state: containerState(view),
        last_success: view.record.last_success ?? null,
        last_error: view.unsupported ?? view.record.last_error ?? null,
        next_run: view.nextRun?.toISOString() ?? null,
        orphaned_since: view.record.orphaned_since ?? null,
        retry_at: view.retryAt?.toISOString() ?? null,
        size_bytes: view.record.active_chain_bytes ?? null,
        chains: view.record.chain?.chains ?? null,
        ...(view.record.consistency ? { consistency: view.record.consistency } : {}),
        last_verified: view.record.last_verified ?? null,
        last_drill: view.record.last_drill ?? null,
        ...(view.drillsOff ? { drills_off: view.drillsOff } : {}),
        unchanged: view.record.unchanged === true,
      })),
  };
}
