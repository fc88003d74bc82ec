// What start-up does after downtime (pure): which containers get a backup right away and
// why, and which remembered containers are gone and become orphans.
import { missedRun } from '../schedule/next-run.js';
import { scheduleOf } from './container-rules.js';
import { isEligible, type Known } from './known.js';

// One backup queued at start, with the reason logged for it.
export interface CatchUp {
  name: string;
  reason: string;
}

// Why the container is backed up at start, or undefined when its next slot is soon enough:
// an interrupted backup resumes, a never-attempted one follows first_backup, a missed slot is caught up.
export function catchUpReason(known: Known, name: string, now: Date): string | undefined {
  const record = known.records[name] ?? {};
  if (record.interrupted) return 'resuming an interrupted backup';
  if (!record.last_attempt) return known.policy.new_containers.first_backup === 'immediate' ? 'first backup' : undefined;
  const missed = missedRun(scheduleOf(known.policy, name), name, new Date(record.last_attempt), now);
  return missed ? 'catching up a missed slot' : undefined;
}

// The backups to queue at start, in discovery order, for present containers that are backed up.
export function catchUps(known: Known, now: Date): CatchUp[] {
  const result: CatchUp[] = [];
  for (const name of known.present.keys()) {
    const reason = isEligible(known, name) ? catchUpReason(known, name, now) : undefined;
    if (reason) result.push({ name, reason });
  }
  return result;
}

// Remembered containers that are not on disk and not yet marked orphaned.
export function newOrphans(known: Known): string[] {
  return Object.keys(known.records).filter((name) => !known.present.has(name) && !known.records[name]?.orphaned_since);
}
