// The daemon's drill scheduler, wired to its snapshot and queue: drills for containers that
// are backed up, enqueued only while nothing is queued or running.
import type { Settings } from '../policy/schema.js';
import { createDrillScheduler, type DrillScheduler } from './drill-scheduler.js';
import type { JobQueue } from './job-queue.js';
import { isEligible, type Known, knownNames } from './known.js';
import type { ContainerRecord } from './state.js';

// What the daemon hands over.
export interface DaemonDrillDeps {
  known: () => Known;
  queue: JobQueue;
  now: () => Date;
  settings(name: string): Settings;
  record(name: string): ContainerRecord;
}

// The drill scheduler; the backup scheduler's tick drives it (tick), status reads `unverified`.
export function daemonDrills(deps: DaemonDrillDeps): DrillScheduler {
  const busy = (name: string): boolean => {
    const activity = deps.queue.activity(name);
    return activity === 'queued' || activity === 'running';
  };
  return createDrillScheduler({
    now: deps.now,
    names: () => [...deps.known().present.keys()].filter((name) => isEligible(deps.known(), name)),
    settings: deps.settings,
    record: deps.record,
    idle: () => ![...knownNames(deps.known())].some(busy),
    enqueue: (name) => void deps.queue.enqueue(name, 'drill'),
  });
}
