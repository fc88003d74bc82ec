// What createDaemon is given, what it returns, and what a manual trigger answers.
import type { JobAction, JobRunner } from '../core/job.js';
import type { Log } from '../core/log.js';
import type { Policy } from '../policy/schema.js';
import type { Reload } from './policy-watch.js';
import type { StatusReport } from './status-report.js';
import type { DaemonEvent } from './events.js';
import type { AgentState } from './state.js';
import type { UnfinishedJob } from './unfinished-jobs.js';

// The daemon's inputs: the policy and state it starts from, the runner, and its I/O edges.
export interface DaemonOptions {
  policyPath: string;
  policy: Policy;
  runner: JobRunner;
  log: Log;
  // This host's name: the container with this name or uts name is the agent's own.
  hostname: string;
  state: AgentState;
  writeState(state: AgentState): Promise<void>;
  now?: () => Date;
  retry?: { baseMs: number; maxAttempts: number };
  // Job starts and ends and stale episodes, for notifications and metrics.
  onEvent?: (event: DaemonEvent) => void;
  // How often staleness is re-checked (it is also checked at start and after each job).
  staleCheckMs?: number;
  // Jobs that started and never ended before this start (engine/running-jobs.ts); read once at start.
  unfinishedJobs?: () => Promise<UnfinishedJob[]>;
}

// What a manual trigger did with each name.
export interface TriggerResult {
  queued: string[];
  merged: string[];
  skipped: Array<{ name: string; reason: string }>;
  unknown: string[];
}

// The running agent as run-agent.ts and the control socket drive it.
export interface Daemon {
  start(): Promise<void>;
  stop(): Promise<void>;
  status(): StatusReport;
  trigger(action: JobAction, names: string[] | 'all', full: boolean): TriggerResult;
  applyReload(reload: Reload): void;
  policy(): Policy;
}
