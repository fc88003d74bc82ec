// The job queue: p-queue with live concurrency, at most one job per container queued or
// running (a repeat trigger is merged), manual runs first, a safety-net timeout per job, retries with
// exponential backoff for transient failures only, and prune after a successful backup. With a
// target gate, a job whose target does not answer waits outside the queue (target-gate.ts).
import PQueue from 'p-queue';
import type { JobAction, JobOutcome, JobRunner } from '../core/job.js';
import { timedOutAfter } from '../policy/duration.js';
import { mergeRequest } from './job-merge.js';
import { errorMessage } from '../core/error-message.js';
import type { Parked, TargetGate } from './target-gate.js';

// How a job ended, for state and logs.
export interface JobEnd {
  outcome: JobOutcome;
  // Stopped by shutdown: not a failure, the next start runs it again.
  interrupted: boolean;
  timedOut: boolean;
  attempt: number;
}

export interface JobQueueOptions {
  runner: JobRunner;
  concurrency: number;
  // The safety net: a job still running after this is stopped (the runner enforces settings.timeout itself).
  timeoutMs(container: string): number;
  // Whether a successful backup is followed by a prune (the container has retention).
  pruneAfterBackup(container: string): boolean;
  retry?: { baseMs: number; maxAttempts: number };
  started(container: string, action: JobAction): void;
  ended(container: string, action: JobAction, end: JobEnd): void;
  // Probes each job's target first; a job whose target is down waits there, holding no slot.
  gate?: TargetGate;
  // A job now waits for its target (it did not start).
  parked?(container: string, action: JobAction, parked: Parked, attempt: number): void;
  // The last queued job has finished (nothing queued or running).
  drained?(): void;
}

export type Activity = 'queued' | 'running' | 'retrying' | 'parked';

export interface JobQueue {
  // Queues a job; 'merged' when the container already has one queued, running or waiting to retry.
  enqueue(container: string, action: JobAction, options?: { full?: boolean; manual?: boolean }): 'queued' | 'merged';
  activity(container: string): Activity | undefined;
  // When a retrying or parked job is tried next.
  retryAt(container: string): Date | undefined;
  setConcurrency(concurrency: number): void;
  // Drops queued jobs and aborts running ones; resolves once every running job has returned.
  shutdown(): Promise<void>;
  onIdle(): Promise<void>;
}

interface Entry {
  container: string;
  action: JobAction;
  full: boolean;
  manual: boolean;
  activity: Activity;
  id: string;
  controller?: AbortController;
  retryTimer?: NodeJS.Timeout;
  retryAt?: Date;
}

const MANUAL_PRIORITY = 1;

// Transient failures: retried after 1, 2 and 4 min, then left to the schedule.
export const DEFAULT_RETRY = { baseMs: 60_000, maxAttempts: 4 };

// Creates the queue around a JobRunner.
export function createJobQueue(options: JobQueueOptions): JobQueue {
  const queue = new PQueue({ concurrency: options.concurrency });
  if (options.drained) queue.on('idle', options.drained);
  const retry = options.retry ?? DEFAULT_RETRY;
  const entries = new Map<string, Entry>();
  let sequence = 0;
  let stopping = false;

  const runOne = async (entry: Entry, action: JobAction, attempt: number): Promise<JobEnd> => {
    const controller = new AbortController();
    entry.controller = controller;
    const timeout = AbortSignal.timeout(options.timeoutMs(entry.container));
    options.started(entry.container, action);
    const begun = Date.now();
    let outcome: JobOutcome;
    try {
      outcome = await options.runner.run({
        container: entry.container,
        action,
        ...(action === 'backup' && entry.full ? { full: true } : {}),
        ...(action === 'backup' && !entry.manual ? { scheduled: true } : {}),
        signal: AbortSignal.any([controller.signal, timeout]),
      });
    } catch (error) {
      // The runner promises not to throw; if it does, it is a bug, not worth retrying.
      outcome = { ok: false, durationMs: Date.now() - begun, failure: { kind: 'permanent', message: errorMessage(error) } };
    }
    const interrupted = controller.signal.aborted;
    const timedOut = !interrupted && (timeout.aborted || outcome.timedOut === true);
    if (!interrupted && timeout.aborted) {
      const message = timedOutAfter(options.timeoutMs(entry.container), 'settings.timeout and capture_timeout, plus a safety margin');
      outcome = { ...outcome, ok: false, failure: { kind: 'permanent', message } };
    }
    const end = { outcome, interrupted, timedOut, attempt };
    options.ended(entry.container, action, end);
    return end;
  };

  // Whether the job waits for its target instead of running now (or shutdown dropped it).
  const parks = async (entry: Entry, attempt: number): Promise<boolean> => {
    const gate = options.gate;
    if (!gate) return false;
    const parked = await gate.admit(entry.container);
    if (stopping) {
      entries.delete(entry.container);
      return true;
    }
    if (!parked) return false;
    entry.activity = 'parked';
    options.parked?.(entry.container, entry.action, parked, attempt);
    gate.park(entry.container, () => add(entry, attempt));
    return true;
  };

  const run = async (entry: Entry, attempt: number): Promise<void> => {
    entry.activity = 'running';
    if (await parks(entry, attempt)) return;
    const end = await runOne(entry, entry.action, attempt);
    // An unchanged backup added no set: its prune waits for the next real one (max_unchanged).
    if (end.outcome.ok && !end.outcome.unchanged && entry.action === 'backup' && !stopping && options.pruneAfterBackup(entry.container)) {
      await runOne(entry, 'prune', 1);
    }
    const failure = end.outcome.failure;
    if (!end.outcome.ok && failure?.kind === 'transient' && !end.interrupted && !stopping && attempt < retry.maxAttempts) {
      entry.activity = 'retrying';
      const delay = retry.baseMs * 2 ** (attempt - 1);
      entry.retryAt = new Date(Date.now() + delay);
      entry.retryTimer = setTimeout(() => add(entry, attempt + 1), delay);
      return;
    }
    entries.delete(entry.container);
  };

  const add = (entry: Entry, attempt: number): void => {
    if (stopping) return;
    entry.activity = 'queued';
    entry.retryAt = undefined;
    sequence += 1;
    entry.id = `${entry.container}#${sequence}`;
    void queue.add(() => run(entry, attempt), { id: entry.id, priority: entry.manual ? MANUAL_PRIORITY : 0 });
  };

  return {
    enqueue(container, action, { full = false, manual = false } = {}) {
      const current = entries.get(container);
      if (current) {
        if (current.activity === 'queued' || current.activity === 'parked') {
          const merged = mergeRequest(current, { action, full, manual });
          Object.assign(current, { action: merged.action, full: merged.full, manual: merged.manual });
          if (current.activity === 'queued' && merged.raisePriority) queue.setPriority(current.id, MANUAL_PRIORITY);
          // Someone asked for this job now: ask its target now too.
          if (current.activity === 'parked' && manual) options.gate?.probeNow(container);
        }
        return 'merged';
      }
      if (stopping) return 'merged';
      const entry: Entry = { container, action, full, manual, activity: 'queued', id: '' };
      entries.set(container, entry);
      add(entry, 1);
      return 'queued';
    },
    activity(container) {
      return entries.get(container)?.activity;
    },
    retryAt(container) {
      const entry = entries.get(container);
      return entry?.activity === 'parked' ? options.gate?.retryAt(container) : entry?.retryAt;
    },
    setConcurrency(concurrency) {
      queue.concurrency = concurrency;
    },
    async shutdown() {
      stopping = true;
      options.gate?.close();
      queue.clear();
      for (const [container, entry] of entries) {
        clearTimeout(entry.retryTimer);
        if (entry.activity === 'running') entry.controller?.abort(new Error('agent shutting down'));
        else entries.delete(container);
      }
      await queue.onIdle();
    },
    onIdle: () => queue.onIdle(),
  };
}
