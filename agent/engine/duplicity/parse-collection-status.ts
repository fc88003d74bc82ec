// Parses `duplicity collection-status` into chains and sets, from the machine log when there is one.
import type { ChainSummary } from '../../core/job.js';
import { isMachineLog, parseMachineLog } from './machine-log.js';
import { CTIME_PATTERN, fromCtime, fromDuplicityTime } from './time-format.js';

export interface BackupSet {
  type: 'full' | 'inc';
  // ISO-8601 UTC; for an incremental its end time.
  time: string;
  volumes: number;
}

export interface BackupChain {
  // primary: the chain with matching signatures (the one new incrementals extend); secondary: any other.
  kind: 'primary' | 'secondary';
  sets: BackupSet[];
  // Times of the first and last set listed.
  startTime: string;
  endTime: string;
}

export interface CollectionStatus {
  chains: BackupChain[];
  // Backup sets in no chain plus incomplete sets (both removed by `duplicity cleanup`).
  orphanedOrIncomplete: number;
  // Time of the newest full set in any chain.
  lastFull?: string;
}

// Chains and sets from collection-status output: the `--log-fd` text (preferred: exact UTC times) or,
// failing that, the human stdout (ctime text read as UTC, so duplicity must run with TZ=UTC).
export function parseCollectionStatus(output: string): CollectionStatus {
  if (isMachineLog(output)) {
    const record = parseMachineLog(output).find((r) => r.code === 3 && r.control.some((l) => l.startsWith('orphaned-sets-num ')));
    if (record) return fromControlLines(record.control);
    // 3.0.x logs this record at level 8, which its logger may drop: the human text is in the message of
    // no record then, so fall through to it if stdout was passed along.
    const human = parseMachineLog(output).find((r) => r.message.includes('Collection Status'));
    if (human) return fromHumanText(human.message);
  }
  return fromHumanText(output);
}

// The structured lines of the INFO 3 record (dup_collections.CollectionsStatus.to_log_info; the same
// in 0.8.22 and 3.0.x): "chain-no-sig N" / "chain-complete", then " full|inc TIME VOLUMES enc|noenc".
function fromControlLines(lines: string[]): CollectionStatus {
  const chains: Array<{ kind: BackupChain['kind']; sets: BackupSet[] }> = [];
  let orphaned = 0;
  let incomplete = 0;
  for (const line of lines) {
    // The patterns exclude each other, so matching them all first changes nothing.
    const set = /^ (full|inc) (\S+) (\d+) (?:enc|noenc)$/.exec(line);
    const orphanedLine = /^orphaned-sets-num (\d+)$/.exec(line);
    const incompleteLine = /^incomplete-sets-num (\d+)$/.exec(line);
    if (/^chain-no-sig \d+$/.test(line)) chains.push({ kind: 'secondary', sets: [] });
    else if (line === 'chain-complete') chains.push({ kind: 'primary', sets: [] });
    else if (set) {
      const time = fromDuplicityTime(set[2] ?? '');
      const chain = chains.at(-1);
      if (!time || !chain) throw new Error(`collection-status log: unexpected set line "${line}"`);
      chain.sets.push({ type: set[1] === 'full' ? 'full' : 'inc', time, volumes: Number(set[3]) });
    } else if (orphanedLine) orphaned = Number(orphanedLine[1]);
    else if (incompleteLine) incomplete = Number(incompleteLine[1]);
  }
  return finish(chains, orphaned + incomplete);
}

const SET_ROW = new RegExp(`^\\s*(Full|Incremental)\\s+(${CTIME_PATTERN})\\s+(\\d+)\\s*$`);

// The human text (CollectionsStatus.__str__). 0.8.22 says "Found 1 secondary backup chain." /
// "Also found 0 backup sets not part of any chain,"; 3.0.x says "chain(s)" / "set(s)" — the patterns
// accept both. duplicity 0.8.22 forces LC_ALL=POSIX, so the text is English there.
function fromHumanText(text: string): CollectionStatus {
  const lines = text.split('\n');
  if (!lines.some((l) => l.trim() === 'Collection Status')) {
    throw new Error('collection-status output: no "Collection Status" block found');
  }
  const chains: Array<{ kind: BackupChain['kind']; sets: BackupSet[] }> = [];
  let orphaned = 0;
  let incomplete = 0;
  for (const line of lines) {
    // The patterns exclude each other, so matching them all first changes nothing.
    const row = SET_ROW.exec(line);
    const orphanedLine = /^Also found (\d+) backup set(?:s|\(s\))? not part of any chain/.exec(line);
    const incompleteLine = /^and (\d+) incomplete backup set(?:s|\(s\))?\./.exec(line);
    if (/^Secondary chain \d+ of \d+:/.test(line)) chains.push({ kind: 'secondary', sets: [] });
    else if (/^Found primary backup chain/.test(line)) chains.push({ kind: 'primary', sets: [] });
    else if (row) {
      // Group 2 is the whole time, 3-8 its parts (CTIME_PATTERN), 9 the volume count.
      const time = fromCtime(row[2] ?? '');
      const chain = chains.at(-1);
      if (!time || !chain) throw new Error(`collection-status output: unexpected set row "${line.trim()}"`);
      chain.sets.push({ type: row[1] === 'Full' ? 'full' : 'inc', time, volumes: Number(row[9]) });
    } else if (orphanedLine) orphaned = Number(orphanedLine[1]);
    else if (incompleteLine) incomplete = Number(incompleteLine[1]);
  }
  return finish(chains, orphaned + incomplete);
}

function finish(raw: Array<{ kind: BackupChain['kind']; sets: BackupSet[] }>, orphanedOrIncomplete: number): CollectionStatus {
  // A chain header without sets is dropped.
  const chains = raw.flatMap((c) => {
    const [first, last] = [c.sets[0], c.sets.at(-1)];
    return first && last ? [{ kind: c.kind, sets: c.sets, startTime: first.time, endTime: last.time }] : [];
  });
  const fulls = chains.flatMap((c) => c.sets.filter((s) => s.type === 'full').map((s) => s.time)).sort();
  const status: CollectionStatus = { chains, orphanedOrIncomplete };
  const lastFull = fulls.at(-1);
  if (lastFull) status.lastFull = lastFull;
  return status;
}

// The job outcome's chain summary. The active chain is the primary one; without one (signatures
// missing) the chain that ends last stands in, since that is what the next backup would have to extend.
export function summarizeChains(status: CollectionStatus): ChainSummary {
  const byEnd = [...status.chains].sort((a, b) => a.endTime.localeCompare(b.endTime));
  const active = status.chains.find((c) => c.kind === 'primary') ?? byEnd.at(-1);
  const summary: ChainSummary = { chains: status.chains.length, setsInActiveChain: active?.sets.length ?? 0 };
  if (status.lastFull) summary.lastFull = status.lastFull;
  const lastBackup = byEnd.at(-1)?.endTime;
  if (lastBackup) summary.lastBackup = lastBackup;
  return summary;
}
