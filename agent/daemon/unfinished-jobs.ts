// What the agent does at start with jobs that started and never ended (their record in
// state_dir/running is still there, see engine/running-jobs.ts): each becomes a log line, and
// an unfinished backup marks its container `interrupted`, which start-up re-queues as
// "resuming an interrupted backup". Pure: app/ hands the daemon a reader of the records.
import type { AgentState } from './state.js';

// A job that started and never recorded its end (the shape engine/running-jobs.ts reads).
export interface UnfinishedJob {
  name: string;
  action: string;
  started: string;
}

// Marks each unfinished backup's container interrupted in `state`; returns one line per job.
export function markUnfinishedJobs(state: AgentState, jobs: readonly UnfinishedJob[]): Array<{ container: string; message: string }> {
  return jobs.map((job) => {
    if (job.action === 'backup') state.containers[job.name] = { ...(state.containers[job.name] ?? {}), interrupted: true };
    return {
      container: job.name,
      message: `${job.name}: its ${job.action} started at ${job.started} and never finished (the agent or duplicity was killed)`,
    };
  });
}
