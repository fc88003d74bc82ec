// Runs each container's drills when due, one at a time, and only while the queue has nothing
// queued or running: a drill never delays a backup it could have waited for, and the queue's
// one-job-per-container rule (and the container lock) keeps it apart from that container's backup.
import type { Settings } from '../policy/schema.js';
import { drillDueAt, drillsOff, type DrillsOff, isUnverified } from './drill-plan.js';
import type { ContainerRecord } from './state.js';

// What the drill scheduler reads from the daemon.
export interface DrillSchedulerOptions {
  now: () => Date;
  // Containers drills may run for (present and backed up).
  names(): Iterable<string>;
  settings(name: string): Settings;
  record(name: string): ContainerRecord;
  // Nothing queued or running.
  idle(): boolean;
  enqueue(name: string): void;
}

// The daemon's drill scheduler; tick() is called by the backup scheduler's timer.
export interface DrillScheduler {
  tick(): void;
  nextDrill(name: string): Date | undefined;
  unverified(name: string): boolean;
  // Why scheduled drills are off for the container (status shows it), undefined when they run.
  drillsOff(name: string): DrillsOff | undefined;
}

// Creates the scheduler; nothing runs until start().
export function createDrillScheduler(options: DrillSchedulerOptions): DrillScheduler {
  const due = (name: string): Date | undefined => drillDueAt(name, options.settings(name), options.record(name));
  return {
    tick() {
      if (!options.idle()) return;
      const now = options.now().getTime();
      let first: { name: string; at: number } | undefined;
      for (const name of options.names()) {
        const at = due(name)?.getTime();
        if (at !== undefined && at <= now && (!first || at < first.at)) first = { name, at };
      }
      // The most overdue first; the next one waits until this one has ended.
      if (first) options.enqueue(first.name);
    },
    nextDrill: due,
    unverified: (name) => isUnverified(options.settings(name), options.record(name), options.now()),
    drillsOff: (name) => drillsOff(options.settings(name)),
  };
}
