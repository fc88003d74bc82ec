// The consistency metrics: which mode the last successful backup of each container used (one
// series per mode, 1 for the one used) and how long its guest was paused.
import { Gauge, type Registry } from 'prom-client';

// What these gauges read of each container at scrape time.
export interface ConsistencyRowSource {
  rows(): Array<{ container: string; consistency?: { mode: string; paused_ms?: number } }>;
}

// Every mode a backup can record (core/job.ts ConsistencyRecord).
const MODES = ['snapshot', 'freeze', 'live', 'stopped'] as const;

// Adds the consistency gauges to `registry`, read from `source` at each scrape.
export function registerConsistencyMetrics(registry: Registry, source: ConsistencyRowSource): void {
  new Gauge({
    name: 'lxc_backup_consistency_mode',
    help: 'How the last successful backup kept the guest still: 1 for the mode used (snapshot, freeze, live, stopped), 0 for the others',
    labelNames: ['container', 'mode'],
    registers: [registry],
    collect() {
      this.reset();
      for (const row of source.rows()) {
        if (!row.consistency) continue;
        for (const mode of MODES) this.set({ container: row.container, mode }, row.consistency.mode === mode ? 1 : 0);
      }
    },
  });
  new Gauge({
    name: 'lxc_backup_last_pause_seconds',
    help: 'How long the guest was frozen for the last successful backup (freeze or snapshot mode)',
    labelNames: ['container'],
    registers: [registry],
    collect() {
      this.reset();
      for (const row of source.rows()) {
        const ms = row.consistency?.paused_ms;
        if (ms !== undefined) this.set({ container: row.container }, ms / 1000);
      }
    },
  });
}
