// A scheduled drill as a job: the daemon's JobRunner runs it like a backup and gets an outcome
// whose `drill` summary state, status, metrics and notifications read.
import type { DrillSummary, JobOutcome } from '../../core/job.js';
import { errorMessage } from '../../core/error-message.js';
import { durationMs } from '../../policy/duration.js';
import type { JobContext } from '../job-context.js';
import { helperBootTester, helperSocketPath } from './boot.js';
import { drillContainer, type DrillResult } from './drill.js';
import { withDrillKey } from './drill-key.js';

// Runs the drill policy `verify` asks for; never throws.
export async function runDrillJob(ctx: JobContext, env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<JobOutcome> {
  const started = Date.now();
  const verify = ctx.container.settings.verify;
  const timeout = AbortSignal.timeout(durationMs(verify.timeout));
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  try {
    const boot = verify.boot
      ? {
          boot: {
            tester: helperBootTester(helperSocketPath(env)),
            timeoutS: Math.min(600, Math.max(1, Math.floor(durationMs(verify.timeout) / 1000))),
          },
        }
      : {};
    const result = await withDrillKey(ctx, undefined, (keyed) => drillContainer(keyed, { restore: { signal: combined }, ...boot }));
    const drill = summaryOf(result);
    if (result.ok) return { ok: true, durationMs: result.durationMs, bytes: result.bytes, drill };
    return {
      ok: false,
      durationMs: result.durationMs,
      failure: { kind: 'permanent', message: `drill: ${result.failure ?? 'failed'}` },
      drill,
    };
  } catch (error) {
    const timedOut = timeout.aborted && !signal?.aborted;
    const message = timedOut ? `drill: stopped after verify.timeout (${verify.timeout})` : `drill: ${errorMessage(error)}`;
    const drill: DrillSummary = {
      ok: false,
      at: new Date(started).toISOString(),
      duration_ms: Date.now() - started,
      sampled: 0,
      mismatches: 0,
    };
    return {
      ok: false,
      durationMs: Date.now() - started,
      failure: { kind: 'permanent', message },
      drill,
      ...(timedOut ? { timedOut } : {}),
    };
  }
}

function summaryOf(result: DrillResult): DrillSummary {
  return {
    ok: result.ok,
    at: result.at,
    duration_ms: result.durationMs,
    sampled: result.sampled,
    mismatches: result.mismatches,
    ...(result.booted !== undefined ? { booted: result.booted } : {}),
    ...(result.examples.length > 0 ? { examples: result.examples.map((m) => m.path) } : {}),
  };
}
