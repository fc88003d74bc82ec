// The notification event: what every channel is told, built from a daemon event (pure).
import type { ConsistencyRecord } from '../core/job.js';
import type { DaemonEvent } from '../daemon/events.js';
import { outcomeWord } from '../daemon/job-log.js';

// start / success / fail follow the healthchecks.io convention; `test` comes from `notify test`.
export type NotifyKind = 'start' | 'success' | 'fail' | 'test';

// The generic webhook's JSON body, and the facts the other channels format.
export interface NotifyEvent {
  event: NotifyKind;
  container: string;
  action: 'backup' | 'prune' | 'drill' | 'staleness' | 'test';
  outcome: 'started' | 'succeeded' | 'failed' | 'timed-out' | 'stale' | 'test';
  // Seconds the job ran, for an ended job.
  duration: number | null;
  bytes: number | null;
  error: string | null;
  host: string;
  time: string;
  // A backup's consistency mode and why it fell back (absent for other events).
  consistency?: { mode: string; reason?: string };
  // What the job did to get past an earlier problem (e.g. a new chain it had to start); only when it did.
  recovered?: string[];
}

// The notification for a daemon event, or undefined when it warrants none (an interrupted job).
export function notifyEventOf(event: DaemonEvent, host: string): NotifyEvent | undefined {
  const base = { container: event.container, host, time: event.at.toISOString(), duration: null, bytes: null, error: null };
  if (event.type === 'stale') return { ...base, event: 'fail', action: 'staleness', outcome: 'stale', error: event.reason };
  // A drill is checked work, not a backup: only its end is news.
  if (event.type === 'job-start' && event.action === 'drill') return undefined;
  if (event.type === 'job-start') return { ...base, event: 'start', action: event.action, outcome: 'started' };
  const { end } = event;
  // Shutdown stopped it: not a failure, the next start resumes it.
  if (end.interrupted) return undefined;
  const outcome = outcomeWord(end).replace(' ', '-') as NotifyEvent['outcome'];
  return {
    ...base,
    event: end.outcome.ok ? 'success' : 'fail',
    action: event.action,
    outcome,
    duration: Math.round(end.outcome.durationMs) / 1000,
    bytes: end.outcome.bytes ?? null,
    error: end.outcome.ok ? null : (end.outcome.failure?.message ?? 'failed'),
    ...consistencyFact(end.outcome.consistency),
    ...(end.outcome.recovered ? { recovered: end.outcome.recovered } : {}),
  };
}

// The consistency part of an ended backup's event.
function consistencyFact(c: ConsistencyRecord | undefined): Pick<NotifyEvent, 'consistency'> {
  return c ? { consistency: { mode: c.mode, ...(c.reason ? { reason: c.reason } : {}) } } : {};
}

// The event `lxc-backup notify test` sends.
export function testEvent(container: string, host: string, at: Date): NotifyEvent {
  return {
    event: 'test',
    container,
    action: 'test',
    outcome: 'test',
    duration: null,
    bytes: null,
    error: null,
    host,
    time: at.toISOString(),
  };
}
