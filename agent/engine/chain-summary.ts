// What a container has on its target, from duplicity's collection-status.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { buildCollectionStatus } from './duplicity/argv.js';
import { collectionFromArchiveNames } from './duplicity/parse-archive-names.js';
import { parseCollectionStatus, summarizeChains } from './duplicity/parse-collection-status.js';
import type { ChainSummary } from '../core/job.js';
import type { JobContext } from './job-context.js';
import { runDuplicityHealing } from './cache-heal.js';

// The parsed collection status; throws a one-line reason when duplicity fails.
export async function readCollectionStatus(ctx: JobContext, signal?: AbortSignal) {
  const run = await runDuplicityHealing(ctx, buildCollectionStatus(ctx), { signal, timeoutMs: 10 * 60_000 });
  if (!run.ok) throw new Error(run.failure?.message ?? 'collection-status failed');
  // duplicity 3 may drop the machine-log record; its human text (UTC, see runDuplicity) is the fallback.
  return parseCollectionStatus(run.result.fd3.includes('orphaned-sets-num') ? run.result.fd3 : run.result.stdout);
}

// The chain summary for status and state.
export async function readChainSummary(ctx: JobContext, signal?: AbortSignal): Promise<ChainSummary> {
  return summarizeChains(await readCollectionStatus(ctx, signal));
}

// The chain summary from duplicity's local archive dir, which every duplicity run first
// brings in step with the target: no extra duplicity process after a backup. Falls back to
// collection-status when the cache holds no chain (first run, lost cache).
export async function readChainSummaryFromCache(ctx: JobContext, signal?: AbortSignal): Promise<ChainSummary> {
  // pubkey mode: the cache may hold only the chains since it was lost (the older ones' metadata
  // needs the private key to fetch), so it undercounts; ask the target.
  if (ctx.container.settings.encryption.mode === 'pubkey') return readChainSummary(ctx, signal);
  const names = await readdir(join(ctx.layout.archiveDir, ctx.layout.name)).catch(() => [] as string[]);
  const status = collectionFromArchiveNames(names);
  return status.chains.length > 0 ? summarizeChains(status) : readChainSummary(ctx, signal);
}
