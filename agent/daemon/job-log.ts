// How a job's end reads in the log: one word for the outcome and the structured fields.
import type { JobAction } from '../core/job.js';
import { consistencyLogFields } from './consistency-state.js';
import type { JobEnd } from './job-queue.js';

// succeeded, failed, timed out or interrupted.
export function outcomeWord(end: JobEnd): string {
  if (end.interrupted) return 'interrupted';
  if (end.timedOut) return 'timed out';
  return end.outcome.ok ? 'succeeded' : 'failed';
}

// The fields of the job-end log line.
export function jobEndFields(container: string, action: JobAction, end: JobEnd): object {
  return {
    container,
    action,
    event: 'job-end',
    outcome: outcomeWord(end).replace(' ', '-'),
    duration_ms: end.outcome.durationMs,
    ...(end.outcome.bytes !== undefined ? { bytes: end.outcome.bytes } : {}),
    attempt: end.attempt,
    ...(end.outcome.failure ? { error: end.outcome.failure.message, failure_kind: end.outcome.failure.kind } : {}),
    ...(end.outcome.skipped ? { skipped: end.outcome.skipped.count, skipped_reason: end.outcome.skipped.reason } : {}),
    ...(end.outcome.recovered ? { recovered: end.outcome.recovered } : {}),
    ...consistencyLogFields(end.outcome.consistency),
    // Nothing changed since the last real backup: duplicity was not started (change-detection/).
    ...(end.outcome.unchanged ? { unchanged: true } : {}),
    ...(end.outcome.ranBecause ? { ran_because: end.outcome.ranBecause } : {}),
  };
}
