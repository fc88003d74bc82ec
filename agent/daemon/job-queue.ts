// The job queue: p-queue with live concurrency, at most one job per container queued or
// running (a repeat trigger is merged), manual runs first, a safety-net timeout per job, retries with
// exponential backoff for transient failures only, and prune after a successful backup.
import PQueue from 'p-queue';
import type { JobAction, JobOutcome, JobRunner } from '../core/job.js';
import { timedOutAfter } from '../policy/duration.js';
import { mergeRequest } from './job-merge.js';
import { errorMessage } from '../core/error-message.js';

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
  // The last queued job has finished (nothing queued or running).
  drained?(): void;
}

export type Activity = 'queued' | 'running' | 'retrying';

export interface JobQueue {
  // Queues a job; 'merged' when the container already has one queued, running or waiting to retry.
  enqueue(container: string, action: JobAction, options?: { full?: boolean; manual?: boolean }): 'queued' | 'merged';
  activity(container: string): Activity | undefined;
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
}

const MANUAL_PRIORITY = 1;

// Creates the queue around a JobRunner.
export function createJobQueue(options: JobQueueOptions): JobQueue {
  const queue = new PQueue({ concurrency: options.concurrency });
  if (options.drained) queue.on('idle', options.drained);
  const retry = options.retry ?? { baseMs: 60_000, maxAttempts: 4 };
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

  const run = async (entry: Entry, attempt: number): Promise<void> => {
    entry.activity = 'running';
    const end = await runOne(entry, entry.action, attempt);
    if (end.outcome.ok && entry.action === 'backup' && !stopping && options.pruneAfterBackup(entry.container)) {
      await runOne(entry, 'prune', 1);
    }
    const failure = end.outcome.failure;
    if (!end.outcome.ok && failure?.kind === 'transient' && !end.interrupted && !stopping && attempt < retry.maxAttempts) {
      entry.activity = 'retrying';
      entry.retryTimer = setTimeout(() => add(entry, attempt + 1), retry.baseMs * 2 ** (attempt - 1));
      return;
    }
    entries.delete(entry.container);
  };

  const add = (entry: Entry, attempt: number): void => {
    if (stopping) return;
    entry.activity = 'queued';
    sequence += 1;
    entry.id = `${entry.container}#${sequence}`;
    void queue.add(() => run(entry, attempt), { id: entry.id, priority: entry.manual ? MANUAL_PRIORITY : 0 });
  };

  return {
    enqueue(container, action, { full = false, manual = false } = {}) {
      const current = entries.get(container);
      if (current) {
        if (current.activity === 'queued') {
          const merged = mergeRequest(current, { action, full, manual });
          Object.assign(current, { action: merged.action, full: merged.full, manual: merged.manual });
          if (merged.raisePriority) queue.setPriority(current.id, MANUAL_PRIORITY);
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
    setConcurrency(concurrency) {
      queue.concurrency = concurrency;
    },
    async shutdown() {
      stopping = true;
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
