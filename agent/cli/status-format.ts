// Pure formatting of the `status` table for people: short relative times (or local ones on
// request), sizes in IEC units, one meaning per column. `--json` keeps ISO-8601 and bytes.
import type { ContainerStatus, StatusReport } from '../daemon/status-report.js';
import { escapeControl } from '../core/escape-control.js';

// How times are shown: relative to `now`, or as local wall-clock times.
export interface TimeStyle {
  now: Date;
  localTime: boolean;
}

// The table's columns, in order.
export const STATUS_HEADER = ['NAME', 'STATE', 'LAST SUCCESS', 'NEXT RUN', 'SIZE', 'CHAINS', 'VERIFIED', 'LAST ERROR'] as const;

// A span of time, short and rounded down: `40 s`, `1m40s`, `25 min`, `3 h`, `2 d`.
export function formatSpan(ms: number): string {
  const s = Math.floor(Math.abs(ms) / 1000);
  if (s < 60) return `${s} s`;
  if (s < 600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 48 * 3600) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86_400)} d`;
}

// A local wall-clock time to the minute: `2026-12-01 04:07` (the process's TZ).
export function formatLocalTime(at: Date): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())} ${two(at.getHours())}:${two(at.getMinutes())}`;
}

// An ISO time as `3 h ago`, `in 4 h`, `now`, or local time; an unparsable one is shown as given.
export function formatWhen(iso: string, style: TimeStyle): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  if (style.localTime) return formatLocalTime(at);
  const diff = at.getTime() - style.now.getTime();
  if (Math.abs(diff) < 1000) return 'now';
  return diff > 0 ? `in ${formatSpan(diff)}` : `${formatSpan(diff)} ago`;
}

// Bytes in IEC units, one decimal below 10: `512 B`, `1.5 KiB`, `23 MiB`.
export function formatBytes(bytes: number): string {
  const [bytesUnit, ...larger] = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;
  let value = bytes;
  let unit: string = bytesUnit;
  for (const next of larger) {
    if (value < 1024) break;
    value /= 1024;
    unit = next;
  }
  const text = unit !== bytesUnit && value < 10 ? value.toFixed(1) : String(Math.floor(value));
  return `${text} ${unit}`;
}

// The state word with a pending retry: `failing (retry in 12 min)`; `retrying now` once it is due.
function withRetry(c: ContainerStatus, style: TimeStyle): string {
  if (c.state === 'ok' && c.unchanged) return 'ok (unchanged)';
  if (c.retry_at === null || c.state === 'running') return c.state;
  const at = new Date(c.retry_at);
  if (!style.localTime && at.getTime() <= style.now.getTime()) return `${c.state} (retrying now)`;
  return `${c.state} (retry ${formatWhen(c.retry_at, style).replace(/^(?=\d)/, 'at ')})`;
}

// One container's cells, in STATUS_HEADER order.
export function statusCells(c: ContainerStatus, style: TimeStyle): string[] {
  const state = c.state === 'orphaned' && c.orphaned_since ? `orphaned ${formatWhen(c.orphaned_since, style)}` : withRetry(c, style);
  const next =
    c.next_run === null
      ? '-'
      : c.state === 'settling'
        ? `${formatWhen(c.next_run, style).replace(/^in /, 'in ~')} (first backup)`
        : formatWhen(c.next_run, style);
  return [
    c.name,
    state,
    c.last_success === null ? (c.state === 'disabled' ? '-' : 'never') : `${formatWhen(c.last_success, style)}${modeNote(c)}`,
    next,
    c.size_bytes === null ? '-' : formatBytes(c.size_bytes),
    c.chains === null ? '-' : String(c.chains),
    verifiedCell(c, style),
    (c.last_error ?? '').split('\n')[0] ?? '',
  ];
}

// The last success's consistency mode after its time, ` (snapshot)`; `--json` has the reason.
function modeNote(c: ContainerStatus): string {
  return c.consistency ? ` (${c.consistency.mode})` : '';
}

// VERIFIED: when the newest drill passed, `failed` when it did not, `-` before the first;
// `off` when scheduled drills are off (`off (no key)` in pubkey mode without verify.key_file).
function verifiedCell(c: ContainerStatus, style: TimeStyle): string {
  if (c.drills_off) return c.drills_off.cause === 'no_key' ? 'off (no key)' : 'off';
  if (c.last_drill && !c.last_drill.ok) return 'failed';
  return c.last_verified === null ? '-' : formatWhen(c.last_verified, style);
}

// What a cell shows of a value; the one place every cell passes through. Names and reasons
// can come from a guest (directory names, config values, duplicity messages about guest
// files), so control characters are escaped here.
// A cell is also cut to MAX_CELL characters (a 250-character container name would push every
// other column off the screen); `--json` keeps the whole value.
function cellText(value: string, last: boolean): string {
  const text = escapeControl(value);
  return !last && text.length > MAX_CELL ? `${text.slice(0, MAX_CELL - 1)}…` : text;
}

// The widest a padded cell gets; the last column (LAST ERROR) runs to the end of the line.
const MAX_CELL = 48;

// Aligned columns, two spaces apart; the last column is not padded (cells escaped and cut).
export function renderTable(header: readonly string[], rows: readonly string[][]): string {
  const cells = [header, ...rows].map((row) => row.map((value, i) => cellText(value, i === row.length - 1)));
  const widths = header.map((_, i) => Math.max(...cells.map((row) => row[i]?.length ?? 0)));
  const line = (row: string[]): string =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return cells.map(line).join('\n');
}

// The status text: the table, then the policy's state (and its problem if any).
export function formatStatusTable(report: StatusReport, style: TimeStyle): string {
  const rows = report.containers.map((c) => statusCells(c, style));
  const policy = report.policy.valid
    ? `policy: ${report.policy.path} (valid)`
    : `policy: ${report.policy.path} INVALID, running the last good one:\n${report.policy.error ?? ''}`;
  const table = rows.length ? renderTable(STATUS_HEADER, rows) : 'no containers found';
  return `${table}\n\n${policy}`;
}
