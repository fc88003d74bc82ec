// The Prometheus rules and the Grafana dashboard in templates/ name only metrics the agent
// exports (agent/metrics/agent-metrics.ts), plus the drill metrics issue 17 adds.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createAgentMetrics } from '../../../agent/metrics/agent-metrics.js';

// Named by the restore-drill work (issue 17); the rules are written against them ahead of it.
const DRILL_METRICS = ['lxc_backup_last_verified_timestamp_seconds', 'lxc_backup_drill_mismatches', 'lxc_backup_drill_duration_seconds'];

const used = (file: string): string[] => [
  ...new Set(readFileSync(new URL(`../../../${file}`, import.meta.url), 'utf8').match(/\blxc_backup_[a-z_]+/g) ?? []),
];

describe('metric names in templates/', () => {
  const exported = createAgentMetrics({ rows: () => [], policyValid: () => true })
    .registry.getMetricsAsArray()
    .map((metric) => metric.name);
  const known = new Set([...exported, ...DRILL_METRICS]);

  it.each(['templates/prometheus/lxc-backup.rules.yml', 'templates/grafana/lxc-backup.json'])('%s uses known metrics only', (file) => {
    const names = used(file).filter((name) => name !== 'lxc_backup_' && !name.endsWith('_'));
    // The rules file names at least the state, policy and drill metrics.
    expect(names.length).toBeGreaterThanOrEqual(3);
    expect(names.filter((name) => !known.has(name))).toEqual([]);
  });
});
