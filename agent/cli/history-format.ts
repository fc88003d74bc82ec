// Pure formatting of `history` for people: one line per job, oldest first, local times.
import type { HistoryRecord } from '../daemon/history-record.js';
import { formatBytes, formatLocalTime, formatSpan, renderTable } from './status-format.js';

// The table's columns, in order.
export const HISTORY_HEADER = ['TIME', 'ACTION', 'OUTCOME', 'DURATION', 'WRITTEN', 'SET', 'MODE', 'ERROR'] as const;

// One job's cells, in HISTORY_HEADER order (escaped by renderTable: errors quote guest paths).
export function historyCells(record: HistoryRecord): string[] {
  const at = new Date(record.time);
  return [
    Number.isNaN(at.getTime()) ? record.time : formatLocalTime(at),
    record.action,
    record.outcome,
    record.duration_ms === undefined ? '-' : formatSpan(record.duration_ms),
    record.bytes === undefined ? '-' : formatBytes(record.bytes),
    record.set_type ?? '-',
    record.consistency ?? '-',
    (record.error ?? '').split('\n')[0] ?? '',
  ];
}

// The history text of container `name`.
export function formatHistory(name: string, records: readonly HistoryRecord[]): string {
  if (records.length === 0) return `${name}: no jobs recorded yet`;
  return renderTable(HISTORY_HEADER, records.map(historyCells));
}
