// A container's chains as its history shows them: each full backup starts a chain, the
// incrementals (and unchanged runs) after it belong to it. Only what the history still holds.
import type { HistoryRecord } from '../daemon/history-record.js';

// One chain seen in the history.
export interface HistoryChain {
  // Time of the full that starts it (null for the chain the history begins in the middle of).
  full: string | null;
  // Time of its newest set.
  last: string;
  incrementals: number;
  bytes: number;
}

// The chains, oldest first.
export function chainsOf(records: readonly HistoryRecord[]): HistoryChain[] {
  const chains: HistoryChain[] = [];
  for (const record of records) {
    if (record.action !== 'backup' || record.outcome === 'failed' || record.outcome === 'interrupted') continue;
    if (record.set_type === 'unchanged' || record.outcome === 'unchanged') continue;
    let current = chains.at(-1);
    if (record.set_type === 'full' || !current) {
      current = { full: record.set_type === 'full' ? record.time : null, last: record.time, incrementals: 0, bytes: 0 };
      chains.push(current);
    } else current.incrementals += 1;
    current.last = record.time;
    current.bytes += record.bytes ?? 0;
  }
  return chains;
}
