// One backup of one container: capture metadata, run duplicity, read its statistics.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { rootfsLinkProblem } from '../discovery/rootfs-links.js';
import { buildBackup, type DuplicityCommand } from './duplicity/argv.js';
import { parseStatistics } from './duplicity/parse-statistics.js';
import { captureMetadata, type MetadataSummary } from './fidelity/capture.js';
import { describeSkipped } from './fidelity/skipped.js';
import { sampleSizeFor } from './drill/sample-pick.js';
import { durationMs, timedOutAfter } from '../policy/duration.js';
import type { JobOutcome, SkippedSummary } from '../core/job.js';
import type { JobContext } from './job-context.js';
import { keepConfigRecord, takeConfigRecord } from './config-record.js';
import { writeExcludeFile } from './exclude-file.js';
import { markIncompleteSets } from './incomplete-sets.js';
import { AlreadyRunningError, withContainerLock } from './lock.js';
import { runDuplicityHealing } from './cache-heal.js';
import { clearPlaceholders, newChainWithoutKey } from './pubkey-new-chain.js';
import { markRunning } from './running-jobs.js';
import { discardUnsafeCheckpoints } from './interrupted-incremental.js';
import { readSourceIdentity, sourceChangeSince, type SourceIdentity } from './source-identity.js';
import { readChainSummaryFromCache } from './chain-summary.js';
import { claimTarget } from './target-owner.js';
import { errorMessage } from '../core/error-message.js';
import { backupConsistently } from './consistency/run.js';
import type { ToolWrap } from './process/tool-wrap.js';
import { startChangeCheck } from './change-detection/change-check.js';

export interface BackupOptions {
  full?: boolean;
  signal?: AbortSignal;
  // Show duplicity's progress on our terminal.
  interactive?: boolean;
  // Runs the tree's readers (capture, duplicity) through this: a snapshot's view (consistency/).
  wrap?: ToolWrap;
  // The snapshot's rootfs as a directory, read in place of <container>/rootfs (with `wrap`).
  rootfsView?: string;
  // Started by the schedule: may skip duplicity when nothing changed (change-detection/).
  scheduled?: boolean;
}

// Backs up the container in `ctx`; failures come back as outcomes, never as throws.
export async function backupContainer(ctx: JobContext, options: BackupOptions = {}): Promise<JobOutcome> {
  const started = Date.now();
  const { layout } = ctx;
  const source = await readSourceIdentity(layout.containerDir);
  if (!source) return failed(started, 'permanent', `${layout.containerDir} does not exist or is not a directory`);
  // Discovery reports this as unsupported; checked again here for a rootfs swapped since.
  const linked = await rootfsLinkProblem(layout.containerDir, join(layout.containerDir, 'rootfs'));
  if (linked) return failed(started, 'permanent', linked);
  try {
    return await withContainerLock(layout, 'backup', () =>
      backupConsistently(
        ctx,
        (pass) =>
          backupLocked(
            ctx,
            { ...options, ...(pass.incremental ? { full: false } : {}), wrap: pass.wrap, rootfsView: pass.rootfsView },
            started,
            source,
          ),
        options.signal,
      ),
    );
  } catch (error) {
    if (error instanceof AlreadyRunningError) return failed(started, 'transient', error.message);
    throw error;
  }
}

function failed(started: number, kind: 'transient' | 'permanent', message: string): JobOutcome {
  return { ok: false, durationMs: Date.now() - started, failure: { kind, message } };
}

async function backupLocked(ctx: JobContext, options: BackupOptions, started: number, source: SourceIdentity): Promise<JobOutcome> {
  const { layout, container } = ctx;
  const fail = (kind: 'transient' | 'permanent', message: string): JobOutcome => failed(started, kind, message);
  const refused = await claimTarget(ctx);
  if (refused) return fail(refused.kind, refused.message);
  for (const dir of [layout.tempDir, layout.archiveDir, layout.gnupgHome]) await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeExcludeFile(ctx);
  const configRecord = await takeConfigRecord(ctx);
  // The metadata must describe the same moment the backup does, so it is captured first
  // and travels inside the same backup set.
  let skipped: SkippedSummary | undefined;
  const change = await startChangeCheck(ctx, options.full === true || options.scheduled !== true);
  try {
    const summary = await captureMetadata(layout.containerDir, layout.metaDir, {
      ...change.hooks,
      signal: options.signal,
      timeoutMs: durationMs(container.settings.capture_timeout),
      ...(options.wrap ? { wrap: options.wrap } : {}),
      manifest: {
        exclude: container.settings.exclude,
        sample: sampleSizeFor(container.settings.verify.sample),
        // The sample describes what this set holds: a snapshot's files, when it reads one.
        ...(options.rootfsView ? { rootfsView: options.rootfsView } : {}),
      },
    });
    skipped = summary && skippedOf(summary);
  } catch (error) {
    return fail('transient', `capturing metadata: ${errorMessage(error)}`);
  }
  const decision = await change.decision();
  const ranBecause = !decision.skip && options.scheduled ? { ranBecause: decision.reason } : {};
  if (decision.skip) {
    const chain = await readChainSummaryFromCache(ctx).catch(() => undefined);
    return { ok: true, unchanged: true, durationMs: Date.now() - started, ...(chain ? { chain } : {}) };
  }
  let command: DuplicityCommand;
  try {
    command = wrapCommand(buildBackup(ctx, { full: options.full, progress: options.interactive }), options.wrap);
  } catch (error) {
    return fail('permanent', errorMessage(error));
  }
  // The job timeout is enforced here, on duplicity itself, so it stops cleanly (SIGTERM, then SIGKILL).
  const timeoutMs = durationMs(container.settings.timeout);
  let discarded: string | undefined;
  try {
    discarded = await discardUnsafeCheckpoints(ctx, { signal: options.signal, timeoutMs });
  } catch (error) {
    return fail('transient', errorMessage(error));
  }
  await clearPlaceholders(ctx);
  const duplicityStarted = new Date();
  // Durable before duplicity starts: a job killed from here on is found at the agent's next start.
  const finished = await markRunning(ctx, 'backup');
  const runOptions = { signal: options.signal, timeoutMs, echo: options.interactive };
  const run = await runDuplicityHealing(ctx, command, runOptions)
    .then((first) => newChainWithoutKey(ctx, first, runOptions))
    .finally(finished);
  const recovered = [discarded, run.healed].filter((line): line is string => line !== undefined);
  const withSkipped = { ...(skipped ? { skipped } : {}), ...(recovered.length > 0 ? { recovered } : {}), ...ranBecause };
  // Checked whatever duplicity said: a source that vanished mid-run makes duplicity report
  // success with what it found, and that set must never pass for the container.
  const vanished = await sourceChangeSince(layout.containerDir, source);
  if (vanished) {
    await markIncompleteSets(ctx, duplicityStarted, vanished).catch(() => undefined);
    return { ...fail('transient', vanished), incomplete: true, ...withSkipped };
  }
  // A run that used its whole timeout would only time out again: permanent, not retried.
  if (run.result.timedOut) return { ...fail('permanent', timedOutAfter(timeoutMs, 'settings.timeout')), timedOut: true, ...withSkipped };
  if (!run.ok) return { ok: false, durationMs: Date.now() - started, failure: run.failure, ...withSkipped };
  await keepConfigRecord(ctx, configRecord);
  await change.remember();
  const statistics = parseStatistics(run.result.stdout);
  const chain = await readChainSummaryFromCache(ctx).catch(() => undefined);
  return {
    ok: true,
    durationMs: Date.now() - started,
    ...(statistics ? { bytes: statistics.totalDestinationSizeChange } : {}),
    ...(chain ? { chain } : {}),
    ...withSkipped,
  };
}

// The command run through `wrap` (a snapshot's view), or as it is.
function wrapCommand(command: DuplicityCommand, wrap: ToolWrap | undefined): DuplicityCommand {
  return wrap ? { ...command, ...wrap({ file: command.file, args: command.args }) } : command;
}

// What the capture left out, as the outcome reports it; undefined when nothing was.
function skippedOf(summary: MetadataSummary): SkippedSummary | undefined {
  const { files, xattrPaths, examples } = summary.skipped;
  if (files + xattrPaths === 0) return undefined;
  return { count: files + xattrPaths, reason: describeSkipped(summary.skipped), examples };
}
