// The backup passes of each mode around the plain backup (one `pass`): snapshot reads a held
// snapshot, freeze adds a paused incremental after a live pass. Each returns the outcome and
// the mode it really got, falling back with the reason when the helper cannot do its part.
import { join } from 'node:path';
import type { ConsistencyRecord, JobOutcome } from '../../core/job.js';
import type { HelperSession } from '../../core/helper-session.js';
import { errorMessage } from '../../core/error-message.js';
import { durationMs } from '../../policy/duration.js';
import type { ToolWrap } from '../process/tool-wrap.js';
import type { JobContext } from '../job-context.js';
import { rememberFreezeLimit } from './freeze-memory.js';
import { QUICK_REQUEST_MS } from './helper-link.js';
import { snapshotDirOf, snapshotWrap, viewProblem } from './snapshot-view.js';

// One plain backup pass: `wrap` runs its readers on a snapshot, `incremental` forbids a full.
// `rootfsView`: where the snapshot's rootfs can be read directly (the drill sample's hashing).
export type PassRunner = (pass: { wrap?: ToolWrap; incremental?: boolean; rootfsView?: string }) => Promise<JobOutcome>;

// A pass's outcome and the consistency it had.
export interface ModeResult {
  outcome: JobOutcome;
  consistency: ConsistencyRecord;
}

// The helper's limit for one pause, in whole seconds (policy max_freeze).
export function maxFreezeSeconds(ctx: JobContext): number {
  return Math.max(1, Math.min(3600, Math.round(durationMs(ctx.container.settings.max_freeze) / 1000)));
}

// snapshot: the helper freezes, snapshots, thaws; the backup reads the snapshot through a
// private mount view; the snapshot is released whatever happened. Undefined with a reason
// when no snapshot could be used (the caller falls back).
export async function snapshotPass(
  ctx: JobContext,
  session: HelperSession,
  pass: PassRunner,
  signal?: AbortSignal,
): Promise<ModeResult | { fallback: string }> {
  const name = ctx.layout.name;
  const maxS = maxFreezeSeconds(ctx);
  let snapshot: { path: string; paused_ms: number };
  try {
    snapshot = await session.request({ verb: 'snapshot', name, max_s: maxS }, maxS * 1000 + 4 * QUICK_REQUEST_MS);
  } catch (error) {
    return { fallback: `snapshot failed: ${errorMessage(error)}` };
  }
  try {
    const place = await snapshotDirOf(ctx.policy.host_root, snapshot.path);
    if ('problem' in place) return { fallback: place.problem };
    const wrap = snapshotWrap(place.dir, join(ctx.layout.containerDir, 'rootfs'));
    const problem = await viewProblem(wrap, signal);
    if (problem) return { fallback: problem };
    const outcome = await pass({ wrap, rootfsView: place.dir });
    return { outcome, consistency: { mode: 'snapshot', paused_ms: snapshot.paused_ms } };
  } finally {
    // Also undone by the helper when the session ends; asked here so it goes at once.
    await session.request({ verb: 'release', name }, QUICK_REQUEST_MS).catch(() => undefined);
  }
}

// freeze: a live pass, then freeze, a second (incremental, fresh metadata) pass, thaw. The
// newest set is one still moment; the pause lasts one small incremental. Past max_freeze the
// helper thaws mid-pass: that set counts as live and the next try runs live at once.
export async function freezePasses(ctx: JobContext, session: HelperSession, pass: PassRunner): Promise<ModeResult> {
  const name = ctx.layout.name;
  const first = await pass({});
  if (!first.ok) return { outcome: first, consistency: { mode: 'live', reason: 'the live pass before the freeze failed' } };
  const maxS = maxFreezeSeconds(ctx);
  try {
    await session.request({ verb: 'freeze', name, max_s: maxS }, QUICK_REQUEST_MS);
  } catch (error) {
    return { outcome: first, consistency: { mode: 'live', reason: `no freeze: ${errorMessage(error)}` } };
  }
  let second: JobOutcome;
  let thaw: { paused_ms: number; limit_hit: boolean } | Error;
  try {
    second = await pass({ incremental: true });
  } finally {
    thaw = await session.request({ verb: 'thaw', name }, QUICK_REQUEST_MS).catch((error: unknown) => new Error(errorMessage(error)));
    // A lost thaw reply: ending the session makes the helper thaw (the caller opens no more requests).
    if (thaw instanceof Error) session.close();
  }
  const outcome = mergePasses(first, second);
  if (thaw instanceof Error)
    return { outcome, consistency: { mode: 'live', reason: `thaw: ${thaw.message} (the helper thaws when the session ends)` } };
  if (thaw.limit_hit) {
    await rememberFreezeLimit(ctx.policy.state_dir, name, new Date()).catch(() => undefined);
    const reason = `the freeze hit max_freeze ${ctx.container.settings.max_freeze}: the helper thawed the guest during the frozen pass, so the newest set was read live`;
    return { outcome, consistency: { mode: 'live', reason, paused_ms: thaw.paused_ms } };
  }
  if (!second.ok) return { outcome, consistency: { mode: 'live', reason: 'the frozen pass failed', paused_ms: thaw.paused_ms } };
  return { outcome, consistency: { mode: 'freeze', paused_ms: thaw.paused_ms } };
}

// One outcome for both passes: the second's result (its duration counts from the job's start),
// both passes' bytes and recoveries.
function mergePasses(first: JobOutcome, second: JobOutcome): JobOutcome {
  const recovered = [...(first.recovered ?? []), ...(second.recovered ?? [])];
  const bytes = (first.bytes ?? 0) + (second.bytes ?? 0);
  return {
    ...second,
    ...(first.bytes !== undefined || second.bytes !== undefined ? { bytes } : {}),
    ...(recovered.length > 0 ? { recovered } : {}),
  };
}
