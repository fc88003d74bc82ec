// The status table's cells for people: relative times, local times on request, sizes, and
// one meaning per column (orphaned in STATE, the first backup of a settling one in NEXT RUN).
import { describe, expect, it } from 'vitest';
import { formatStatusTable } from '../../../agent/cli/status-format.js';
import { formatBytes, formatLocalTime, formatSpan, formatWhen, statusCells, STATUS_HEADER } from '../../../agent/cli/status-format.js';
import type { ContainerStatus } from '../../../agent/daemon/status-report.js';
import { buildStatus, containerState } from '../../../agent/daemon/status-report.js';
import { recordOutcome } from '../../../agent/daemon/state.js';

const now = new Date('2026-12-01T12:00:00.000Z');
const relative = { now, localTime: false };
const ago = (ms: number): string => new Date(now.getTime() - ms).toISOString();
const row = (fields: Partial<ContainerStatus>): ContainerStatus => ({
  name: 'web',
  state: 'ok',
  last_success: null,
  last_error: null,
  next_run: null,
  orphaned_since: null,
  retry_at: null,
  size_bytes: null,
  chains: null,
  last_verified: null,
  last_drill: null,
  unchanged: false,
  ...fields,
});

describe('formatSpan', () => {
  it.each([
    [0, '0 s'],
    [999, '0 s'],
    [59_999, '59 s'],
    [60_000, '1m00s'],
    [100_000, '1m40s'],
    [599_000, '9m59s'],
    [600_000, '10 min'],
    [3_599_000, '59 min'],
    [3_600_000, '1 h'],
    [3 * 3_600_000 + 40 * 60_000, '3 h'],
    [47 * 3_600_000, '47 h'],
    [48 * 3_600_000, '2 d'],
    [-100_000, '1m40s'],
  ])('%d ms → %s', (ms, text) => expect(formatSpan(ms)).toBe(text));
});

describe('formatWhen', () => {
  it.each([
    [ago(3 * 3_600_000), '3 h ago'],
    [new Date(now.getTime() + 4 * 3_600_000).toISOString(), 'in 4 h'],
    [now.toISOString(), 'now'],
    ['not a time', 'not a time'],
  ])('%s → %s', (iso, text) => expect(formatWhen(iso, relative)).toBe(text));

  it('shows local wall-clock time to the minute with localTime', () => {
    const at = new Date(2026, 11, 1, 4, 7, 59);
    expect(formatWhen(at.toISOString(), { now, localTime: true })).toBe('2026-12-01 04:07');
    expect(formatLocalTime(at)).toBe('2026-12-01 04:07');
  });
});

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1.0 KiB'],
    [1536, '1.5 KiB'],
    [23 * 1024 ** 2 + 5, '23 MiB'],
    [5 * 1024 ** 4, '5.0 TiB'],
  ])('%d → %s', (bytes, text) => expect(formatBytes(bytes)).toBe(text));
});

describe('statusCells', () => {
  it('has one cell per column', () => {
    expect(statusCells(row({}), relative)).toHaveLength(STATUS_HEADER.length);
  });

  it('shows a success that skipped duplicity as ok (unchanged), and only while the state is ok', () => {
    expect(statusCells(row({ unchanged: true, last_success: ago(60_000) }), relative)[1]).toBe('ok (unchanged)');
    expect(statusCells(row({ unchanged: true, state: 'stale' }), relative)[1]).toBe('stale');
    expect(statusCells(row({ unchanged: false }), relative)[1]).toBe('ok');
  });

  it('shows a settling container with its expected first backup', () => {
    const cells = statusCells(row({ state: 'settling', next_run: new Date(now.getTime() + 100_000).toISOString() }), relative);
    expect(cells.slice(1, 4)).toEqual(['settling', 'never', 'in ~1m40s (first backup)']);
  });

  it.each([
    ['failing', 12 * 60_000, false, 'failing (retry in 12 min)'],
    ['stale', 90_000, false, 'stale (retry in 1m30s)'],
    ['failing', -2000, false, 'failing (retrying now)'],
    ['running', 60_000, false, 'running'],
    ['failing', 60_000, true, `failing (retry at ${formatLocalTime(new Date(now.getTime() + 60_000))})`],
  ] as const)('shows a pending retry in STATE: %s, in %i ms, local %s → %s', (state, inMs, localTime, expected) => {
    const retryAt = new Date(now.getTime() + inMs).toISOString();
    expect(statusCells(row({ state, retry_at: retryAt }), { now, localTime })[1]).toBe(expected);
  });

  it('puts orphaned in STATE and leaves NEXT RUN to the next run', () => {
    const cells = statusCells(row({ state: 'orphaned', orphaned_since: ago(2 * 86_400_000), last_success: ago(3 * 86_400_000) }), relative);
    expect(cells.slice(1, 4)).toEqual(['orphaned 2 d ago', '3 d ago', '-']);
  });

  it('shows size, chain count and the first line of the error', () => {
    const cells = statusCells(row({ state: 'failing', size_bytes: 1536, chains: 2, last_error: 'gpg: bad passphrase\nmore' }), relative);
    expect(cells.slice(4)).toEqual(['1.5 KiB', '2', '-', 'gpg: bad passphrase']);
  });

  it('shows VERIFIED as the newest passed drill, `failed` after a failed one, `-` before any', () => {
    const drill = { ok: true, at: ago(3_600_000), duration_ms: 1000, sampled: 200, mismatches: 0 };
    expect(statusCells(row({ last_verified: drill.at, last_drill: drill }), relative)[6]).toBe('1 h ago');
    const failed = { ...drill, ok: false, at: ago(60_000), mismatches: 2 };
    expect(statusCells(row({ last_verified: drill.at, last_drill: failed }), relative)[6]).toBe('failed');
    expect(statusCells(row({}), relative)[6]).toBe('-');
  });

  it('shows VERIFIED `off (no key)` when scheduled drills are off for want of a key, `off` with every: null', () => {
    const drill = { ok: true, at: ago(3_600_000), duration_ms: 1000, sampled: 200, mismatches: 0 };
    const noKey = { cause: 'no_key' as const, reason: 'encryption.mode is pubkey and verify.key_file is not set' };
    expect(statusCells(row({ drills_off: noKey }), relative)[6]).toBe('off (no key)');
    expect(statusCells(row({ last_verified: drill.at, last_drill: drill, drills_off: noKey }), relative)[6]).toBe('off (no key)');
    expect(statusCells(row({ drills_off: { cause: 'every_null', reason: 'verify.every is null' } }), relative)[6]).toBe('off');
  });

  it('never shows an ISO stamp in the relative table', () => {
    const report = {
      policy: { path: '/p.yaml', valid: true, error: null },
      containers: [row({ last_success: '2026-12-01T03:07:07.825Z', next_run: '2026-12-02T03:00:00.000Z' })],
    };
    const text = formatStatusTable(report, relative);
    expect(text).not.toMatch(/\d{4}-\d\d-\d\dT/);
    expect(text.split('\n')[0]).toMatch(/^NAME +STATE +LAST SUCCESS +NEXT RUN +SIZE +CHAINS +VERIFIED +LAST ERROR$/);
    expect(text).toContain('8 h ago');
    expect(text).toContain('in 15 h');
  });

  it('cuts a long name to 48 characters in the table, keeps the last column whole', () => {
    const long = 'n'.repeat(250);
    const error = `e${'x'.repeat(100)}`;
    const report = { policy: { path: '/p.yaml', valid: true, error: null }, containers: [row({ name: long, last_error: error })] };
    const line = formatStatusTable(report, relative).split('\n')[1] ?? '';
    expect(line.startsWith(`${'n'.repeat(47)}…  `)).toBe(true);
    expect(line.endsWith(error)).toBe(true);
  });
});

describe('status report', () => {
  it('reports a settling view as settling, before any other state', () => {
    expect(containerState({ name: 'n', record: { orphaned_since: 'x' }, disabled: false, running: false, settling: true })).toBe(
      'settling',
    );
    const report = buildStatus(
      '/p',
      [],
      [{ name: 'n', record: { chain: { chains: 3, setsInActiveChain: 2 }, active_chain_bytes: 10 }, disabled: false, running: false }],
    );
    expect(report.containers[0]).toMatchObject({ chains: 3, size_bytes: 10 });
  });

  it('sums the active chain: a full restarts it, an incremental adds, an unknown earlier size stays unknown', () => {
    const ok = (bytes: number, sets: number) => ({ ok: true, durationMs: 1, bytes, chain: { chains: 1, setsInActiveChain: sets } });
    let record = recordOutcome({}, 'backup', ok(100, 1), now, false);
    expect(record.active_chain_bytes).toBe(100);
    record = recordOutcome(record, 'backup', ok(20, 2), now, false);
    expect(record.active_chain_bytes).toBe(120);
    record = recordOutcome(record, 'backup', ok(50, 1), now, false);
    expect(record.active_chain_bytes).toBe(50);
    expect(recordOutcome({}, 'backup', ok(20, 2), now, false).active_chain_bytes).toBeUndefined();
  });
});
