// The parking decisions for targets that do not answer (pure). A job whose target failed its
// probe waits ("parked") without holding a queue slot; the target is probed again on a back-off
// and its parked jobs run as soon as it answers. A target is what policy/target-endpoint.ts
// names (a file:// base directory, an SSH server, an S3 or B2 endpoint): every container behind
// one dead endpoint waits together, and one probe per endpoint decides for all of them.
import type { ProbeResult } from '../core/job.js';

// A target that failed its last probe.
export interface TargetHealth {
  // Probes failed in a row.
  failures: number;
  since: Date;
  // The last probe's message ("target file:///b is unreachable: …").
  message: string;
  // When it is probed next.
  retryAt: Date;
}

// How long a down target waits between probes: the job retry back-off first (`fastMs` doubling,
// for `fastAttempts` - 1 probes, as a transient job failure is retried), then `everyMs` doubling;
// never more than `maxMs` (policy: target_recheck.every and .max).
export interface Backoff {
  fastMs: number;
  fastAttempts: number;
  everyMs: number;
  maxMs: number;
}

// What a job on a target does now: probe and run, or wait behind a known outage without a probe.
export function admission(health: TargetHealth | undefined): 'probe' | 'park' {
  return health ? 'park' : 'probe';
}

// The wait after the `failures`-th failed probe in a row.
export function probeDelayMs(failures: number, backoff: Backoff): number {
  const n = Math.max(1, failures);
  const delay = n < backoff.fastAttempts ? backoff.fastMs * 2 ** (n - 1) : backoff.everyMs * 2 ** (n - backoff.fastAttempts);
  return Math.min(delay, backoff.maxMs);
}

// The target's health after a probe: undefined once it answers. A probe someone asked for
// (`manual`) does not lengthen the back-off, and a failure keeps the outage's start.
export function afterProbe(
  health: TargetHealth | undefined,
  result: ProbeResult,
  now: Date,
  backoff: Backoff,
  manual = false,
): TargetHealth | undefined {
  if (result.ok) return undefined;
  if (manual && health) return { ...health, message: result.message };
  const failures = (health?.failures ?? 0) + 1;
  return {
    failures,
    since: health?.since ?? now,
    message: result.message,
    retryAt: new Date(now.getTime() + probeDelayMs(failures, backoff)),
  };
}

// Whether this failure is the one that used up the fast retries (from here on: the slow back-off).
export function slowsDown(health: TargetHealth, backoff: Backoff): boolean {
  return health.failures === Math.max(1, backoff.fastAttempts);
}

// One parked job: its container, the target it waits for, and that container's target now.
export interface ParkedJob {
  container: string;
  parkedOn: string;
  // undefined when the container's target has nothing to probe any more.
  targetNow: string | undefined;
}

// The parked jobs to run now: those on a target that just answered, and those whose container
// now has another target (a policy edit), which is decided afresh by their own probe.
export function jobsToRelease(parked: readonly ParkedJob[], answered?: string): string[] {
  return parked.filter((job) => job.parkedOn === answered || job.targetNow !== job.parkedOn).map((job) => job.container);
}
