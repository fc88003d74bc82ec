// The gate in front of the job queue: per target, whether it answers, which jobs wait for it,
// and the back-off timer that probes it again (decisions in target-parking.ts). Probes go
// through the runner (JobRunner.probe), so this layer never touches the engine.
import type { ProbeResult } from '../core/job.js';
import { errorMessage } from '../core/error-message.js';
import { afterProbe, admission, type Backoff, jobsToRelease, type TargetHealth } from './target-parking.js';

// Why a job waits, for state, logs and status.
export interface Parked {
  target: string;
  message: string;
  retryAt: Date;
}

export interface TargetGateOptions {
  // The target a container's jobs go to (policy/target-endpoint.ts key); undefined: never parked.
  targetOf(container: string): string | undefined;
  probe(container: string, signal: AbortSignal): Promise<ProbeResult>;
  backoff(): Backoff;
  now(): Date;
  // A probe failed (`health.failures` in a row) / the target answered after being down.
  down(target: string, health: TargetHealth): void;
  up(target: string, downSince: Date, released: string[]): void;
}

export interface TargetGate {
  // Probes the container's target (unless it is known down): undefined means run the job now.
  admit(container: string): Promise<Parked | undefined>;
  // Holds the job until its target answers; `release` re-queues it.
  park(container: string, release: () => void): void;
  // Probes the parked container's target now (a manual trigger), without lengthening the back-off.
  probeNow(container: string): void;
  retryAt(container: string): Date | undefined;
  // After a policy edit: releases parked jobs whose container has another target now.
  recheck(): void;
  close(): void;
}

// Creates the gate; `close()` stops its timers and any probe in flight.
export function createTargetGate(options: TargetGateOptions): TargetGate {
  const health = new Map<string, TargetHealth>();
  const parked = new Map<string, { target: string; release: () => void }>();
  const timers = new Map<string, NodeJS.Timeout>();
  const closing = new AbortController();

  const probe = async (container: string): Promise<ProbeResult> => {
    try {
      return await options.probe(container, closing.signal);
    } catch (error) {
      // The runner promises not to throw; if it does, the job finds out what is wrong itself.
      return { ok: true, target: `(probe failed: ${errorMessage(error)})` };
    }
  };

  const release = (containers: string[]): void => {
    for (const container of containers) {
      const job = parked.get(container);
      parked.delete(container);
      job?.release();
    }
  };

  const schedule = (target: string): void => {
    const current = health.get(target);
    if (!current || timers.has(target) || closing.signal.aborted) return;
    const delay = Math.max(0, current.retryAt.getTime() - options.now().getTime());
    timers.set(
      target,
      setTimeout(() => void recheckTarget(target, false), delay),
    );
  };

  // Applies a probe's result to the target: marks it down, or releases everything parked on it.
  const record = (target: string, result: ProbeResult, manual: boolean): void => {
    const before = health.get(target);
    const after = afterProbe(before, result, options.now(), options.backoff(), manual);
    if (after) {
      health.set(target, after);
      if (after !== before && after.failures !== before?.failures) options.down(target, after);
      return;
    }
    if (!before) return;
    health.delete(target);
    const waiting = [...parked].filter(([, job]) => job.target === target).map(([container]) => container);
    options.up(target, before.since, waiting);
    release(waiting);
  };

  const recheckTarget = async (target: string, manual: boolean): Promise<void> => {
    clearTimeout(timers.get(target));
    timers.delete(target);
    const first = [...parked].find(([, job]) => job.target === target)?.[0];
    // Nobody waits any more: forget the outage; the next job probes for itself.
    if (first === undefined) return void health.delete(target);
    const result = await probe(first);
    if (closing.signal.aborted) return;
    record(target, result, manual);
    schedule(target);
  };

  return {
    async admit(container) {
      const target = options.targetOf(container);
      if (target === undefined) return undefined;
      const known = health.get(target);
      if (known && admission(known) === 'park') return { target, message: known.message, retryAt: known.retryAt };
      const result = await probe(container);
      if (closing.signal.aborted) return undefined;
      // A probe that ran while another job's probe failed may still count: the newest result wins.
      if (!result.ok || health.has(target)) record(target, result, false);
      const now = health.get(target);
      return now ? { target, message: now.message, retryAt: now.retryAt } : undefined;
    },
    park(container, job) {
      const target = options.targetOf(container);
      if (target === undefined || !health.has(target)) return job();
      parked.set(container, { target, release: job });
      schedule(target);
    },
    probeNow(container) {
      const job = parked.get(container);
      if (job) void recheckTarget(job.target, true);
    },
    retryAt(container) {
      const job = parked.get(container);
      return job ? health.get(job.target)?.retryAt : undefined;
    },
    recheck() {
      const jobs = [...parked].map(([container, job]) => ({ container, parkedOn: job.target, targetNow: options.targetOf(container) }));
      release(jobsToRelease(jobs));
    },
    close() {
      closing.abort(new Error('agent shutting down'));
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      parked.clear();
    },
  };
}
