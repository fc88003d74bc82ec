// The agent's Prometheus metrics on a private registry (never prom-client's global one):
// gauges read the daemon's current view at each scrape; failures are counted as jobs end.
import { Counter, Gauge, Registry } from 'prom-client';
import { CONTAINER_STATES, type ContainerState } from '../daemon/status-report.js';
import type { JobAction } from '../core/job.js';
import { registerConsistencyMetrics } from './consistency-metrics.js';
import { type DrillRow, registerDrillMetrics } from './drill-metrics.js';

// What the metrics need to know about one container at scrape time.
export interface MetricsRow extends DrillRow {
  container: string;
  state: ContainerState;
  lastSuccess?: string | null;
  lastAttempt?: string | null;
  bytes?: number;
  // Duration of the last backup as persisted in the state (seeds the gauge after a restart).
  backupDurationMs?: number;
  // How the last successful backup kept the guest still (consistency-metrics.ts).
  consistency?: { mode: string; paused_ms?: number };
}

export interface MetricsSource {
  rows(): MetricsRow[];
  policyValid(): boolean;
}

export interface AgentMetrics {
  registry: Registry;
  // Records a finished (not interrupted) job; `unchanged`: a backup that skipped duplicity.
  jobEnded(container: string, action: JobAction, durationMs: number, ok: boolean, unchanged?: boolean): void;
  // The exposition text.
  text(): Promise<string>;
}

const seconds = (iso: string | null | undefined): number | undefined => {
  const ms = iso ? Date.parse(iso) : Number.NaN;
  return Number.isFinite(ms) ? ms / 1000 : undefined;
};

// Creates the metrics over `source`.
export function createAgentMetrics(source: MetricsSource): AgentMetrics {
  const registry = new Registry();
  const durations = new Map<string, number>();
  const key = (container: string, action: JobAction): string => `${container}\u0000${action}`;
  const perRow = (gauge: Gauge<'container'>, pick: (row: MetricsRow) => number | undefined): void => {
    gauge.reset();
    for (const row of source.rows()) {
      const value = pick(row);
      if (value !== undefined) gauge.set({ container: row.container }, value);
    }
  };

  new Gauge({
    name: 'lxc_backup_last_success_timestamp_seconds',
    help: 'Unix time of the last successful backup of the container',
    labelNames: ['container'],
    registers: [registry],
    collect() {
      perRow(this, (row) => seconds(row.lastSuccess));
    },
  });
  new Gauge({
    name: 'lxc_backup_last_attempt_timestamp_seconds',
    help: 'Unix time the last backup of the container started',
    labelNames: ['container'],
    registers: [registry],
    collect() {
      perRow(this, (row) => seconds(row.lastAttempt));
    },
  });
  new Gauge({
    name: 'lxc_backup_last_duration_seconds',
    help: 'How long the last job of each action ran',
    labelNames: ['container', 'action'],
    registers: [registry],
    collect() {
      this.reset();
      for (const row of source.rows()) {
        for (const action of ['backup', 'prune'] as const) {
          const ms = durations.get(key(row.container, action)) ?? (action === 'backup' ? row.backupDurationMs : undefined);
          if (ms !== undefined) this.set({ container: row.container, action }, ms / 1000);
        }
      }
    },
  });
  new Gauge({
    name: 'lxc_backup_last_bytes',
    help: 'Bytes the last successful backup wrote to the target',
    labelNames: ['container'],
    registers: [registry],
    collect() {
      perRow(this, (row) => row.bytes);
    },
  });
  const failures = new Counter({
    name: 'lxc_backup_failures_total',
    help: 'Failed jobs since the agent started (retries count each attempt)',
    labelNames: ['container', 'action'],
    registers: [registry],
    collect() {
      // Every container has a series from the start, so rate() and increase() see the first failure.
      for (const row of source.rows()) for (const action of ['backup', 'prune'] as const) this.inc({ container: row.container, action }, 0);
    },
  });
  const skippedUnchanged = new Counter({
    name: 'lxc_backup_skipped_unchanged_total',
    help: 'Scheduled backups that skipped duplicity because the container had not changed, since the agent started',
    labelNames: ['container'],
    registers: [registry],
    collect() {
      for (const row of source.rows()) this.inc({ container: row.container }, 0);
    },
  });
  new Gauge({
    name: 'lxc_backup_container_state',
    help: "The container's state as in `lxc-backup status`: 1 for the current state, 0 for the others",
    labelNames: ['container', 'state'],
    registers: [registry],
    collect() {
      this.reset();
      for (const row of source.rows())
        for (const state of CONTAINER_STATES) this.set({ container: row.container, state }, row.state === state ? 1 : 0);
    },
  });
  registerConsistencyMetrics(registry, source);
  new Gauge({
    name: 'lxc_backup_policy_valid',
    help: '1 when the policy file on disk is valid, 0 while a broken edit is rejected (the last good one runs)',
    registers: [registry],
    collect() {
      this.set(source.policyValid() ? 1 : 0);
    },
  });

  registerDrillMetrics(registry, source.rows);

  return {
    registry,
    jobEnded(container, action, durationMs, ok, unchanged) {
      durations.set(key(container, action), durationMs);
      if (!ok) failures.inc({ container, action });
      if (ok && unchanged) skippedUnchanged.inc({ container });
    },
    text: () => registry.metrics(),
  };
}
