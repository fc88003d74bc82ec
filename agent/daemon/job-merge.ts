// What a new request does to a job already queued for the same container (pure): one job per
// container, so the request is merged into it rather than queued twice.
import type { JobAction } from '../core/job.js';

// The parts of a queued job a request can change.
export interface QueuedJob {
  action: JobAction;
  full: boolean;
  manual: boolean;
}

// The queued job after the merge, and whether it must move to manual priority.
export function mergeRequest(current: QueuedJob, request: QueuedJob): QueuedJob & { raisePriority: boolean } {
  return {
    // A backup also prunes afterwards, so it covers a prune request.
    action: request.action === 'backup' ? 'backup' : current.action,
    full: current.full || request.full,
    manual: current.manual || request.manual,
    raisePriority: request.manual && !current.manual,
  };
}
