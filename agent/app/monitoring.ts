// Wires the daemon's events to notifications and metrics (both observers: neither can hold
// up or fail a job).
import { hostname as osHostname } from 'node:os';
import { createAgentMetrics, type MetricsRow } from '../metrics/agent-metrics.js';
import { startMetricsExport } from '../metrics/export.js';
import { pageRoutes } from '../metrics/page-routes.js';
import { readHistory } from '../daemon/history-file.js';
import { notifyEventOf } from '../notify/event.js';
import { createNotifier } from '../notify/notifier.js';
import type { Log } from '../core/log.js';
import type { Policy } from '../policy/schema.js';
import type { SecretsReader } from '../policy/secrets-file.js';
import type { DaemonEvent } from '../daemon/events.js';
import type { AgentState } from '../daemon/state.js';
import { createHistoryWriter, historyBoundsFrom } from '../daemon/history-writer.js';
import type { StatusReport } from '../daemon/status-report.js';

export interface MonitoringOptions {
  policy(): Policy;
  status(): StatusReport;
  state: AgentState;
  env: NodeJS.ProcessEnv;
  log: Log;
  hostname?: string;
  readSecrets?: SecretsReader;
}

export interface Monitoring {
  onEvent(event: DaemonEvent): void;
  // Starts the metrics endpoint/textfile (read from the policy at start).
  start(): Promise<void>;
  close(): Promise<void>;
}

// Creates the observers; metrics are published only after start().
export function createMonitoring(options: MonitoringOptions): Monitoring {
  const host = options.hostname ?? osHostname();
  const notifier = createNotifier({
    policy: options.policy,
    env: options.env,
    log: options.log,
    ...(options.readSecrets ? { readSecrets: options.readSecrets } : {}),
  });
  const rows = (): MetricsRow[] =>
    options.status().containers.map((row) => {
      const record = options.state.containers[row.name] ?? {};
      return {
        container: row.name,
        state: row.state,
        lastSuccess: record.last_success ?? null,
        lastAttempt: record.last_attempt ?? null,
        ...(record.bytes !== undefined ? { bytes: record.bytes } : {}),
        ...(record.duration_ms !== undefined ? { backupDurationMs: record.duration_ms } : {}),
        ...(record.consistency ? { consistency: record.consistency } : {}),
        lastVerified: record.last_verified ?? null,
        lastDrill: record.last_drill ?? null,
      };
    });
  // The per-container job history (daemon/history-file.ts); its bounds shrink in tests.
  const historyBounds = historyBoundsFrom(options.env);
  const stateDir = options.policy().state_dir;
  const history = createHistoryWriter({ stateDir: () => stateDir, log: options.log, bounds: historyBounds });
  const metrics = createAgentMetrics({ rows, policyValid: () => options.status().policy.valid });
  let exported: Awaited<ReturnType<typeof startMetricsExport>> | undefined;

  return {
    onEvent(event) {
      history.onEvent(event);
      if (event.type === 'job-end' && !event.end.interrupted)
        metrics.jobEnded(event.container, event.action, event.end.outcome.durationMs, event.end.outcome.ok, event.end.outcome.unchanged);
      const notification = notifyEventOf(event, host);
      if (notification) notifier.notify(notification);
      exported?.changed();
    },
    async start() {
      const pages = pageRoutes({
        status: options.status,
        history: (name, limit) => readHistory(stateDir, name, historyBounds, limit),
        chain: (name) => options.state.containers[name]?.chain,
      });
      exported = await startMetricsExport(options.policy().metrics, metrics, options.log, pages);
    },
    async close() {
      await exported?.close();
      await history.flush();
      await notifier.close();
    },
  };
}
