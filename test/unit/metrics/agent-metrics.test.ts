// Metrics: exactly the names on a private registry, values from the source at scrape
// time, valid Prometheus text, the atomic textfile and the loopback endpoint.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { register } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAgentMetrics, type MetricsRow } from '../../../agent/metrics/agent-metrics.js';
import { listenAddress } from '../../../agent/metrics/listen-address.js';
import { startMetricsServer } from '../../../agent/metrics/server.js';
import { writeTextfile } from '../../../agent/metrics/textfile.js';
import { parsePrometheusText, sampleValue } from '../../integration/notify-helpers.js';
import { makeTempDir, removeDir } from '../../support/temp.js';

const NAMES = [
  'lxc_backup_last_success_timestamp_seconds',
  'lxc_backup_last_attempt_timestamp_seconds',
  'lxc_backup_last_duration_seconds',
  'lxc_backup_last_bytes',
  'lxc_backup_failures_total',
  'lxc_backup_skipped_unchanged_total',
  'lxc_backup_container_state',
  'lxc_backup_policy_valid',
  'lxc_backup_consistency_mode',
  'lxc_backup_last_pause_seconds',
  'lxc_backup_last_verified_timestamp_seconds',
  'lxc_backup_drill_duration_seconds',
  'lxc_backup_drill_mismatches',
];

let rows: MetricsRow[];
let valid: boolean;
const metrics = () => createAgentMetrics({ rows: () => rows, policyValid: () => valid });

beforeEach(() => {
  rows = [
    {
      container: 'web',
      state: 'ok',
      lastSuccess: '2030-01-01T00:00:10.000Z',
      lastAttempt: '2030-01-01T00:00:00.000Z',
      bytes: 4096,
      backupDurationMs: 10_000,
      consistency: { mode: 'snapshot', paused_ms: 250 },
      lastVerified: '2030-01-01T00:00:20.000Z',
      lastDrill: { ok: false, at: '2030-01-01T00:01:00.000Z', duration_ms: 2500, sampled: 200, mismatches: 3 },
    },
    { container: 'db', state: 'stale', lastSuccess: null, lastAttempt: '2030-01-01T00:00:00.000Z' },
  ];
  valid = true;
});

describe('agent metrics', () => {
  it('exposes exactly the documented names, as valid text, on a private registry', async () => {
    const { types, samples } = parsePrometheusText(await metrics().text());
    expect([...types.keys()].sort()).toEqual([...NAMES].sort());
    expect(types.get('lxc_backup_failures_total')).toBe('counter');
    expect(sampleValue(samples, 'lxc_backup_last_success_timestamp_seconds', { container: 'web' })).toBe(
      Date.parse('2030-01-01T00:00:10.000Z') / 1000,
    );
    expect(sampleValue(samples, 'lxc_backup_last_success_timestamp_seconds', { container: 'db' })).toBeUndefined();
    expect(sampleValue(samples, 'lxc_backup_last_attempt_timestamp_seconds', { container: 'db' })).toBe(
      Date.parse('2030-01-01T00:00:00.000Z') / 1000,
    );
    expect(sampleValue(samples, 'lxc_backup_last_bytes', { container: 'web' })).toBe(4096);
    expect(sampleValue(samples, 'lxc_backup_last_duration_seconds', { container: 'web', action: 'backup' })).toBe(10);
    expect(sampleValue(samples, 'lxc_backup_failures_total', { container: 'db', action: 'backup' })).toBe(0);
    expect(sampleValue(samples, 'lxc_backup_container_state', { container: 'db', state: 'stale' })).toBe(1);
    expect(sampleValue(samples, 'lxc_backup_container_state', { container: 'db', state: 'ok' })).toBe(0);
    expect(samples.filter((s) => s.name === 'lxc_backup_container_state' && s.labels.container === 'web')).toHaveLength(10);
    expect(sampleValue(samples, 'lxc_backup_last_verified_timestamp_seconds', { container: 'web' })).toBe(
      Date.parse('2030-01-01T00:00:20Z') / 1000,
    );
    expect(sampleValue(samples, 'lxc_backup_drill_duration_seconds', { container: 'web' })).toBe(2.5);
    expect(sampleValue(samples, 'lxc_backup_drill_mismatches', { container: 'web' })).toBe(3);
    expect(sampleValue(samples, 'lxc_backup_drill_mismatches', { container: 'db' })).toBeUndefined();
    expect(sampleValue(samples, 'lxc_backup_policy_valid')).toBe(1);
    expect(sampleValue(samples, 'lxc_backup_consistency_mode', { container: 'web', mode: 'snapshot' })).toBe(1);
    expect(sampleValue(samples, 'lxc_backup_consistency_mode', { container: 'web', mode: 'live' })).toBe(0);
    expect(sampleValue(samples, 'lxc_backup_consistency_mode', { container: 'db', mode: 'live' })).toBeUndefined();
    expect(sampleValue(samples, 'lxc_backup_last_pause_seconds', { container: 'web' })).toBe(0.25);
    expect(await register.getMetricsAsJSON()).toEqual([]);
  });

  it('follows job ends and the source between scrapes', async () => {
    const m = metrics();
    m.jobEnded('web', 'backup', 2500, false);
    m.jobEnded('web', 'backup', 1500, false);
    m.jobEnded('web', 'prune', 750, true);
    m.jobEnded('web', 'backup', 20, true, true);
    m.jobEnded('web', 'backup', 20, true, false);
    rows[0] = { ...rows[0]!, state: 'failing' };
    valid = false;
    const { samples } = parsePrometheusText(await m.text());
    expect(sampleValue(samples, 'lxc_backup_failures_total', { container: 'web', action: 'backup' })).toBe(2);
    expect(sampleValue(samples, 'lxc_backup_failures_total', { container: 'web', action: 'prune' })).toBe(0);
    expect(sampleValue(samples, 'lxc_backup_skipped_unchanged_total', { container: 'web' })).toBe(1);
    expect(sampleValue(samples, 'lxc_backup_skipped_unchanged_total', { container: 'db' })).toBe(0);
    expect(sampleValue(samples, 'lxc_backup_last_duration_seconds', { container: 'web', action: 'backup' })).toBe(0.02);
    expect(sampleValue(samples, 'lxc_backup_last_duration_seconds', { container: 'web', action: 'prune' })).toBe(0.75);
    expect(sampleValue(samples, 'lxc_backup_container_state', { container: 'web', state: 'failing' })).toBe(1);
    expect(sampleValue(samples, 'lxc_backup_policy_valid')).toBe(0);
    rows = [];
    // Gauges follow the source; a counter keeps its series until the agent restarts.
    expect(
      parsePrometheusText(await m.text())
        .samples.filter((s) => s.labels.container === 'db')
        .map((s) => s.name),
    ).toEqual(['lxc_backup_failures_total', 'lxc_backup_failures_total', 'lxc_backup_skipped_unchanged_total']);
  });

  it('the parser rejects broken text (so the tests above can fail)', () => {
    expect(() => parsePrometheusText('# TYPE a gauge\na{x="1} 1\n')).toThrow(/bad labels|expected a sample/);
    expect(() => parsePrometheusText('b 1\n')).toThrow(/without a TYPE/);
    expect(() => parsePrometheusText('# TYPE a gauge\na one\n')).toThrow(/bad value/);
  });
});

describe('publishing', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeTempDir('metrics');
  });
  afterEach(async () => {
    await removeDir(dir);
  });

  it('replaces the textfile atomically, leaving no temp file', async () => {
    const path = join(dir, 'lxc-backup.prom');
    await writeTextfile(path, 'first\n');
    await writeTextfile(path, await metrics().text());
    parsePrometheusText(await readFile(path, 'utf8'));
    expect(await readdir(dir)).toEqual(['lxc-backup.prom']);
    await expect(writeTextfile(join(dir, 'missing', 'x.prom'), 'x\n')).rejects.toThrow(/ENOENT/);
  });

  it('serves /metrics on loopback and 404 elsewhere', async () => {
    const server = await startMetricsServer(metrics(), '127.0.0.1', 0);
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      const response = await fetch(server.url);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(parsePrometheusText(await response.text()).types.size).toBe(NAMES.length);
      expect((await fetch(server.url.replace('/metrics', '/'))).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('reads listen as a port or HOST:PORT', () => {
    expect(listenAddress(9105)).toEqual({ host: '127.0.0.1', port: 9105 });
    expect(listenAddress('0.0.0.0:9105')).toEqual({ host: '0.0.0.0', port: 9105 });
    expect(listenAddress('[::1]:9105')).toEqual({ host: '::1', port: 9105 });
  });
});
