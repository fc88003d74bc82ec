// The contract between the agent (scheduling, queueing) and the duplicity driver (doing).
// The agent only sees this interface, so its tests can pass a fake and integration tests
// the real driver.

// A drill restores the newest backup into scratch and checks it (engine/drill/).
export type JobAction = 'backup' | 'prune' | 'drill';

// Whether retrying can help: a busy lock or a network error is transient; a wrong
// passphrase or a missing source is permanent.
export type FailureKind = 'transient' | 'permanent';

// A short summary of the backups a container has on its target.
export interface ChainSummary {
  // Number of chains (a full backup and its incrementals) on the target.
  chains: number;
  // Backup sets in the newest chain.
  setsInActiveChain: number;
  // ISO-8601 time of the newest full and the newest backup of any kind.
  lastFull?: string;
  lastBackup?: string;
}

export interface JobRequest {
  container: string;
  action: JobAction;
  // Force a full backup (backup only).
  full?: boolean;
  // Started by the schedule, not asked for: only such a backup may skip duplicity when nothing
  // changed (engine/change-detection/); an explicit backup always runs it.
  scheduled?: boolean;
  signal?: AbortSignal;
}

export interface JobOutcome {
  ok: boolean;
  durationMs: number;
  // Bytes written to the target (backup only, from duplicity's statistics).
  bytes?: number;
  failure?: { kind: FailureKind; message: string };
  chain?: ChainSummary;
  // What the backup could not include (paths too long for the tools); set only when count > 0.
  skipped?: SkippedSummary;
  // The backup wrote a set that holds only part of the container (its directory vanished or
  // was replaced mid-run): a failure, and a set retention never keeps as the chain to keep.
  incomplete?: boolean;
  // Stopped by its job timeout (settings.timeout): logged as timed out and not retried.
  timedOut?: boolean;
  // What the job did first to get past an earlier run that was killed (leftovers set aside,
  // an interrupted set discarded), one line each; absent when nothing was needed.
  recovered?: string[];
  // A scheduled backup found nothing changed since the last real one and skipped duplicity:
  // a success for staleness and status, `ok (unchanged)`.
  unchanged?: boolean;
  // Why a scheduled backup ran duplicity instead of skipping it ("the container changed", "max_unchanged reached").
  ranBecause?: string;
  // How the guest was kept still while it was read (backup only; README "Consistent backups").
  consistency?: ConsistencyRecord;
  // What a drill found (drill only).
  drill?: DrillSummary;
}

// The consistency mode a backup actually used, why it is not a stronger one, how long the
// guest was paused, and the guest hooks that ran (their output tail comes escaped).
export interface ConsistencyRecord {
  mode: 'snapshot' | 'freeze' | 'live' | 'stopped';
  reason?: string;
  paused_ms?: number;
  hooks?: Array<{ phase: 'pre' | 'post'; exit_code: number | null; output: string }>;
}

// A restore drill's result as state, status and metrics keep it; `examples` are escaped paths.
export interface DrillSummary {
  ok: boolean;
  at: string;
  duration_ms: number;
  sampled: number;
  mismatches: number;
  booted?: boolean;
  examples?: string[];
}

// Entries a job left out and went on without. The examples are paths a guest chose, so they
// arrive shortened and escaped.
export interface SkippedSummary {
  count: number;
  reason: string;
  examples: string[];
}

// Whether a container's target answered a cheap reachability check. `target` names what was
// checked (policy/target-endpoint.ts), for messages.
export type ProbeResult = { ok: true; target: string } | { ok: false; target: string; message: string };

// Runs one job for one container to the end (or until `signal` aborts it). Never throws
// for a failed job: failures are outcomes.
export interface JobRunner {
  run(request: JobRequest): Promise<JobOutcome>;
  // What the container has on its target (read-only; used to rebuild lost state).
  inspect?(container: string, signal?: AbortSignal): Promise<ChainSummary>;
  // Checks the container's target answers, bounded by target_probe_timeout; never throws.
  probe?(container: string, signal?: AbortSignal): Promise<ProbeResult>;
}
