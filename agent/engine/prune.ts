// Retention for one container: the policy's remove-* rules, always with --force, never
// touching the active chain.
import { buildPrune } from './duplicity/argv.js';
import type { ChainSummary, JobOutcome } from '../core/job.js';
import type { JobContext } from './job-context.js';
import { incompleteActiveChain } from './incomplete-sets.js';
import { AlreadyRunningError, withContainerLock } from './lock.js';
import { runDuplicityHealing } from './cache-heal.js';
import { readChainSummaryFromCache } from './chain-summary.js';
import { claimTarget } from './target-owner.js';
import { errorMessage } from '../core/error-message.js';

// Applies retention; a container with a single chain is left alone (duplicity keeps the
// active chain anyway — this makes that promise ours, whatever duplicity version runs).
export async function pruneContainer(ctx: JobContext, options: { signal?: AbortSignal } = {}): Promise<JobOutcome> {
  const started = Date.now();
  const done = (outcome: Omit<JobOutcome, 'durationMs'>): JobOutcome => ({ ...outcome, durationMs: Date.now() - started });
  let commands: ReturnType<typeof buildPrune>;
  try {
    commands = buildPrune(ctx);
  } catch (error) {
    return done({ ok: false, failure: { kind: 'permanent', message: errorMessage(error) } });
  }
  if (commands.length === 0) return done({ ok: true });
  try {
    return await withContainerLock(ctx.layout, 'prune', async () => {
      const refused = await claimTarget(ctx);
      if (refused) return done({ ok: false, failure: refused });
      let before: ChainSummary;
      try {
        before = await readChainSummaryFromCache(ctx, options.signal);
      } catch (error) {
        return done({ ok: false, failure: { kind: 'transient', message: errorMessage(error) } });
      }
      if (before.chains <= 1) return done({ ok: true, chain: before });
      // Holding back is what the policy wants here, not a failure: the older complete chain
      // is the one to keep until a complete full replaces it.
      if (await incompleteActiveChain(ctx)) return done({ ok: true, chain: before });
      for (const command of commands) {
        const run = await runDuplicityHealing(ctx, command, { signal: options.signal, timeoutMs: 60 * 60_000 });
        if (!run.ok) return done({ ok: false, ...(run.failure ? { failure: run.failure } : {}) });
      }
      const after = await readChainSummaryFromCache(ctx, options.signal).catch(() => undefined);
      return done({ ok: true, ...(after ? { chain: after } : {}) });
    });
  } catch (error) {
    if (error instanceof AlreadyRunningError) return done({ ok: false, failure: { kind: 'transient', message: error.message } });
    throw error;
  }
}
