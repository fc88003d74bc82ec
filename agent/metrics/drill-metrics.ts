// The restore-drill gauges: when each container last passed a drill, and how its newest drill
// went (duration, mismatches), read from the rows at each scrape.
import { Gauge, type Registry } from 'prom-client';
import type { DrillSummary } from '../core/job.js';

// What the drill gauges read of one container.
export interface DrillRow {
  container: string;
  lastVerified?: string | null;
  lastDrill?: DrillSummary | null;
}

// Registers the drill gauges on `registry`.
export function registerDrillMetrics(registry: Registry, rows: () => DrillRow[]): void {
  const gauge = (name: string, help: string, pick: (row: DrillRow) => number | undefined): void => {
    new Gauge({
      name,
      help,
      labelNames: ['container'],
      registers: [registry],
      collect() {
        this.reset();
        for (const row of rows()) {
          const value = pick(row);
          if (value !== undefined) this.set({ container: row.container }, value);
        }
      },
    });
  };
  gauge('lxc_backup_last_verified_timestamp_seconds', 'Unix time of the last restore drill of the container that passed', (row) => {
    const ms = row.lastVerified ? Date.parse(row.lastVerified) : Number.NaN;
    return Number.isFinite(ms) ? ms / 1000 : undefined;
  });
  gauge('lxc_backup_drill_duration_seconds', 'How long the newest restore drill of the container ran', (row) =>
    row.lastDrill ? row.lastDrill.duration_ms / 1000 : undefined,
  );
  gauge(
    'lxc_backup_drill_mismatches',
    'Sampled files and tree totals the newest restore drill found different',
    (row) => row.lastDrill?.mismatches,
  );
}
