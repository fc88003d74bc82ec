// One backup with the consistency the policy asks for: ask the host helper for the guest's
// state, decide the mode, run the guest's pre-backup hook (before any pause), the mode's
// passes, then the post-backup hook (after thaw). The mode used goes into the outcome.
import type { ConsistencyRecord, JobOutcome } from '../../core/job.js';
import type { JobContext } from '../job-context.js';
import { backingProblem, configBacking } from './backing-check.js';
import { decideMode, type ModeDecision } from './decide.js';
import { takeFreezeLimit } from './freeze-memory.js';
import { type HelperLink, linkHelper } from './helper-link.js';
import { type HookRecord, runHook } from './hooks.js';
import { freezePasses, type ModeResult, type PassRunner, snapshotPass } from './passes.js';

export type { PassRunner } from './passes.js';

// Runs the backup of `ctx` through `pass` with the consistency its settings ask for.
export async function backupConsistently(ctx: JobContext, pass: PassRunner, signal?: AbortSignal, link?: HelperLink): Promise<JobOutcome> {
  const { settings } = ctx.container;
  const name = ctx.layout.name;
  const started = Date.now();
  const helperLink = link ?? (await linkHelper(ctx.policy.host_helper, name));
  const { session } = helperLink;
  // A job stopped (shutdown, timeout) ends the session: the helper kills a running hook and
  // thaws at once instead of the job waiting for either.
  const endSession = (): void => session?.close();
  signal?.addEventListener('abort', endSession, { once: true });
  try {
    const limitAt = settings.consistency === 'live' ? undefined : await takeFreezeLimit(ctx.policy.state_dir, name);
    const decision = decideMode({
      requested: settings.consistency,
      helper: helperLink.helper,
      ...(limitAt ? { freezeLimitHit: { at: limitAt, maxFreeze: settings.max_freeze } } : {}),
    });
    const hooks: HookRecord[] = [];
    const withHooks = (result: ModeResult): JobOutcome =>
      recordOf(result.outcome, { ...result.consistency, ...(hooks.length ? { hooks } : {}) });
    // Hooks run only in a RUNNING guest (the helper refuses others): never in a stopped or frozen one.
    const running = helperLink.helper.available && helperLink.helper.state === 'RUNNING';
    const useHooks = session !== undefined && settings.hooks.enabled && running;
    if (useHooks) {
      const pre = await runHook(session, name, 'pre', settings.hooks);
      if (pre.record) hooks.push(pre.record);
      // Nothing is frozen yet: a failing pre-backup hook ends the job here (on_failure: fail).
      if (pre.failure && settings.hooks.on_failure === 'fail') {
        const failure = { kind: 'permanent' as const, message: pre.failure };
        return withHooks({ outcome: { ok: false, durationMs: Date.now() - started, failure }, consistency: decision });
      }
    }
    const result = await runMode(ctx, helperLink, decision, pass, signal);
    if (useHooks && session) {
      const post = await runHook(session, name, 'post', settings.hooks);
      if (post.record) hooks.push(post.record);
      if (post.failure && settings.hooks.on_failure === 'fail' && result.outcome.ok)
        return withHooks({ ...result, outcome: { ...result.outcome, ok: false, failure: { kind: 'permanent', message: post.failure } } });
    }
    return withHooks(result);
  } finally {
    signal?.removeEventListener('abort', endSession);
    session?.close();
  }
}

// The mode's passes; a snapshot that cannot be had falls back to the next mode, with the reason.
async function runMode(
  ctx: JobContext,
  link: HelperLink,
  decision: ModeDecision,
  pass: PassRunner,
  signal?: AbortSignal,
): Promise<ModeResult> {
  const { session } = link;
  let used = decision;
  if (used.mode === 'snapshot' && session) {
    const snapshot = await snapshotPass(ctx, session, pass, signal);
    if (!('fallback' in snapshot)) return snapshot;
    const helper = link.helper.available ? { ...link.helper, snapshot: false, snapshotReason: snapshot.fallback } : link.helper;
    used = decideMode({ requested: 'auto', helper });
  }
  const backing = await configBacking(ctx.layout.containerDir, ctx.layout.name, ctx.policy.host_root);
  const problem = await backingProblem(ctx.layout.containerDir, backing, used.mode);
  if (problem) return { outcome: { ok: false, durationMs: 0, failure: { kind: 'permanent', message: problem } }, consistency: used };
  if (used.mode === 'freeze' && session) {
    // Why it is freeze (no snapshot) goes first, then why the freeze did not hold, if it did not.
    const frozen = await freezePasses(ctx, session, pass);
    const reason = [used.reason, frozen.consistency.reason].filter((part) => part !== undefined).join('; ');
    return { ...frozen, consistency: { ...frozen.consistency, ...(reason ? { reason } : {}) } };
  }
  return { outcome: await pass({}), consistency: used };
}

// The outcome with its consistency record.
function recordOf(outcome: JobOutcome, consistency: ConsistencyRecord): JobOutcome {
  const { reason, ...rest } = consistency;
  return { ...outcome, consistency: { ...rest, ...(reason ? { reason } : {}) } };
}
