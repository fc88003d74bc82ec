// One line of a container's job history (state_dir/history/NAME.jsonl): what a job did, as the
// daemon saw it end. Readers accept lines from newer agents: unknown words and extra keys pass.
import * as z from 'zod';
import type { JobAction, JobOutcome } from '../core/job.js';
import type { JobEnd } from './job-queue.js';

// Longest error kept per line, so a line (and a rotated file) stays small.
const MAX_ERROR = 1000;

// A history line as read back: only `time`, `action` and `outcome` are required.
export const historyRecordSchema = z
  .object({
    time: z.string(),
    action: z.string(),
    // ok | failed | unchanged | interrupted (later agents may add words).
    outcome: z.string(),
    duration_ms: z.number().optional(),
    bytes: z.number().optional(),
    // full | inc | unchanged, for a backup that wrote (or skipped) a set.
    set_type: z.string().optional(),
    // The consistency mode the backup actually used (live, freeze, snapshot, stopped, ...).
    consistency: z.string().optional(),
    error: z.string().optional(),
  })
  .loose();

export type HistoryRecord = z.infer<typeof historyRecordSchema>;

function outcomeWord(outcome: JobOutcome, end: JobEnd): string {
  if (end.interrupted) return 'interrupted';
  if (!outcome.ok) return 'failed';
  return outcome.unchanged === true ? 'unchanged' : 'ok';
}

// full, inc or unchanged for a successful backup: from the chain it left (one set in the
// active chain: the set just written was a full).
function setType(action: string, outcome: JobOutcome, word: string): string | undefined {
  if (action !== 'backup' || !outcome.ok) return undefined;
  if (word === 'unchanged') return 'unchanged';
  const sets = outcome.chain?.setsInActiveChain;
  if (sets === undefined) return undefined;
  return sets <= 1 ? 'full' : 'inc';
}

// The history line for a job that ended at `at`.
export function historyRecordOf(action: JobAction | string, end: JobEnd, at: Date): HistoryRecord {
  const { outcome } = end;
  const word = outcomeWord(outcome, end);
  const set = setType(action, outcome, word);
  const consistency = outcome.consistency?.mode;
  const message = outcome.failure?.message;
  return {
    time: at.toISOString(),
    action,
    outcome: word,
    duration_ms: outcome.durationMs,
    ...(outcome.bytes !== undefined ? { bytes: outcome.bytes } : {}),
    ...(set ? { set_type: set } : {}),
    ...(consistency ? { consistency } : {}),
    ...(message !== undefined && !outcome.ok ? { error: message.length > MAX_ERROR ? `${message.slice(0, MAX_ERROR)}…` : message } : {}),
  };
}
