// What a manual trigger does with each name (pure): unknown, skipped with a reason, or
// handed to the queue (which queues it or merges it into the job already there).
import type { JobAction } from '../core/job.js';
import type { TriggerResult } from './daemon-options.js';
import { exclusionIn, type Known, knownNames } from './known.js';

// The verdict for one name.
export type TriggerVerdict = { name: string; kind: 'enqueue' | 'unknown' } | { name: string; kind: 'skipped'; reason: string };

// Verdicts for `wanted` ('all': every included container; orphans only for prune).
export function triggerPlan(known: Known, action: JobAction, wanted: string[] | 'all'): TriggerVerdict[] {
  const included = [...knownNames(known)].filter((name) => exclusionIn(known, name) === undefined);
  const targets = wanted === 'all' ? included.filter((name) => action === 'prune' || known.present.has(name)) : wanted;
  return targets.map((name) => verdict(known, action, name));
}

function verdict(known: Known, action: JobAction, name: string): TriggerVerdict {
  const present = known.present.has(name);
  if (!present && !known.records[name]) return { name, kind: 'unknown' };
  const exclusion = exclusionIn(known, name);
  if (exclusion?.kind === 'hidden') return { name, kind: 'skipped', reason: 'ignored by the policy' };
  if (exclusion) return { name, kind: 'skipped', reason: exclusion.kind === 'unsupported' ? exclusion.reason : exclusion.kind };
  if (action === 'backup' && !present) return { name, kind: 'skipped', reason: 'orphaned: its directory is gone' };
  if (action === 'drill' && !known.records[name]?.last_success) return { name, kind: 'skipped', reason: 'no backup to drill yet' };
  return { name, kind: 'enqueue' };
}

// What a trigger answers: each verdict applied, enqueue()'s answer for the names it queued.
export function triggerResult(verdicts: readonly TriggerVerdict[], enqueue: (name: string) => 'queued' | 'merged'): TriggerResult {
  const result: TriggerResult = { queued: [], merged: [], skipped: [], unknown: [] };
  for (const verdict of verdicts) {
    if (verdict.kind === 'skipped') result.skipped.push({ name: verdict.name, reason: verdict.reason });
    else if (verdict.kind === 'unknown') result.unknown.push(verdict.name);
    else result[enqueue(verdict.name)].push(verdict.name);
  }
  return result;
}
