// What the daemon tells its observers (notifications, metrics); observers never affect jobs.
import type { JobAction } from '../core/job.js';
import type { Log } from '../core/log.js';
import type { JobEnd } from './job-queue.js';

// One thing that happened to a container.
export type DaemonEvent =
  | { type: 'job-start'; container: string; action: JobAction; at: Date }
  | { type: 'job-end'; container: string; action: JobAction; end: JobEnd; at: Date }
  // The container just became stale (once per stale episode); `reason` is secret-free.
  | { type: 'stale'; container: string; reason: string; maxAgeMs: number; at: Date };

// Calls the observer; a throwing observer is logged, never allowed to break the caller.
export function emitSafely(observer: ((event: DaemonEvent) => void) | undefined, event: DaemonEvent, log: Log): void {
  if (!observer) return;
  try {
    observer(event);
  } catch (error) {
    log.error({ err: error, event: event.type, container: event.container }, `observer of ${event.type} failed`);
  }
}
