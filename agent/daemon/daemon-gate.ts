// The target gate as the daemon wires it: targets from the live policy, probes through the
// runner, the back-off from the job retries and target_recheck, and a log line per change.
import type { JobRunner } from '../core/job.js';
import type { Log } from '../core/log.js';
import { durationMs } from '../policy/duration.js';
import { resolveContainer } from '../policy/resolve.js';
import type { Policy } from '../policy/schema.js';
import { targetEndpoint } from '../policy/target-endpoint.js';
import type { JobEnd } from './job-queue.js';
import { createTargetGate, type Parked, type TargetGate } from './target-gate.js';
import { type Backoff, slowsDown } from './target-parking.js';

const seconds = (ms: number): string => `${Math.round(ms / 1000)} s`;

export interface DaemonGateOptions {
  runner: JobRunner;
  policy(): Policy;
  retry: { baseMs: number; maxAttempts: number };
  now(): Date;
  log: Log;
}

// A gate, or undefined when the runner cannot probe (every job then runs as it comes).
export function createDaemonGate(options: DaemonGateOptions): TargetGate | undefined {
  const { runner, log } = options;
  const probe = runner.probe?.bind(runner);
  if (!probe) return undefined;
  const backoff = (): Backoff => {
    const { every, max } = options.policy().target_recheck;
    return { fastMs: options.retry.baseMs, fastAttempts: options.retry.maxAttempts, everyMs: durationMs(every), maxMs: durationMs(max) };
  };
  return createTargetGate({
    targetOf(container) {
      const { settings } = resolveContainer(options.policy(), container);
      return targetEndpoint(settings.target, settings)?.key;
    },
    probe,
    backoff,
    now: options.now,
    down(target, health) {
      const wait = seconds(health.retryAt.getTime() - options.now().getTime());
      const fields = { target, event: 'target-down', failures: health.failures, retry_at: health.retryAt.toISOString() };
      if (health.failures === 1) log.warn(fields, `${health.message}: its jobs wait without a slot, next probe in ${wait}`);
      else if (slowsDown(health, backoff())) {
        const { every, max } = options.policy().target_recheck;
        log.warn(fields, `${health.message} (${health.failures} probes): probing every ${every} from now on, doubling up to ${max}`);
      } else log.info(fields, `${health.message} (${health.failures} probes): next probe in ${wait}`);
    },
    up(target, since, released) {
      const down = seconds(options.now().getTime() - since.getTime());
      log.info(
        { target, event: 'target-up', down_ms: options.now().getTime() - since.getTime(), released },
        `target ${target} answers again after ${down}: running ${released.length} waiting job(s)`,
      );
    },
  });
}

// A parked job's end as state, log and observers see it: a transient failure that took no time.
export function parkedEnd(parked: Parked, attempt: number): JobEnd {
  const outcome = { ok: false, durationMs: 0, failure: { kind: 'transient' as const, message: parked.message } };
  return { outcome, interrupted: false, timedOut: false, attempt };
}
