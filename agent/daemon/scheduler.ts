// Fires each container's job at its next run; one timer checks all entries each tick.
import type { JobAction } from '../core/job.js';
import { nextRunAfter } from '../schedule/next-run.js';

interface Entry {
  expression: string;
  action: JobAction;
  nextRun: Date | undefined;
}

export interface Scheduler {
  // Plans `name`; a no-op when the expression and action are unchanged (keeps its next run).
  plan(name: string, expression: string, action: JobAction): void;
  unplan(name: string): void;
  nextRun(name: string): Date | undefined;
  // Fires every due entry and moves it to its next run (called by the timer; public for tests).
  tick(): void;
  start(): void;
  stop(): void;
}

export interface SchedulerOptions {
  onDue(name: string, action: JobAction): void;
  // Called after each tick's due entries were fired (the drill scheduler's turn).
  onTick?: () => void;
  now?: () => Date;
  tickMs?: number;
}

// Creates a scheduler; nothing fires until start().
export function createScheduler(options: SchedulerOptions): Scheduler {
  const now = options.now ?? (() => new Date());
  const entries = new Map<string, Entry>();
  let timer: NodeJS.Timeout | undefined;

  return {
    plan(name, expression, action) {
      const current = entries.get(name);
      if (current && current.expression === expression && current.action === action) return;
      entries.set(name, { expression, action, nextRun: nextRunAfter(expression, name, now()) });
    },
    unplan(name) {
      entries.delete(name);
    },
    nextRun(name) {
      return entries.get(name)?.nextRun;
    },
    tick() {
      const at = now();
      for (const [name, entry] of entries) {
        if (!entry.nextRun || entry.nextRun.getTime() > at.getTime()) continue;
        // The next run is computed from now, so a job still running at its next slot is
        // merged by the queue rather than piling up (no overlap with itself).
        entry.nextRun = nextRunAfter(entry.expression, name, at);
        options.onDue(name, entry.action);
      }
      options.onTick?.();
    },
    start() {
      timer ??= setInterval(() => this.tick(), options.tickMs ?? 1000);
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
    },
  };
}
