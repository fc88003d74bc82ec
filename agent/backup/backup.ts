// One backup of one container: capture metadata, run duplicity, read its statistics.
import { mkdir, stat } from 'node:fs/promises';
import { buildBackup } from '../duplicity/argv.js';
import { parseStatistics } from '../duplicity/parse-statistics.js';
import { captureMetadata, describeSkipped, type MetadataSummary } from '../fidelity/index.js';
import { durationSeconds } from '../policy/duration.js';
import type { JobOutcome, SkippedSummary } from '../jobs/job-runner.js';
import type { JobContext } from './context.js';
import { keepConfigRecord, takeConfigRecord } from './config-record.js';
import { writeExcludeFile } from './exclude-file.js';
import { acquireLock, AlreadyRunningError } from './lock.js';
import { runDuplicity } from './run-duplicity.js';
import { readChainSummaryFromCache } from './status.js';

export interface BackupOptions {
  full?: boolean;
  signal?: AbortSignal;
  // Show duplicity's progress on our terminal.
  interactive?: boolean;
}

// Backs up the container in `ctx`; failures come back as outcomes, never as throws.
export async function backupContainer(ctx: JobContext, options: BackupOptions = {}): Promise<JobOutcome> {
  const started = Date.now();
  const fail = (kind: 'transient' | 'permanent', message: string): JobOutcome => ({ ok: false, durationMs: Date.now() - started, failure: { kind, message } });
  const { layout, container } = ctx;
  const source = await stat(layout.containerDir).catch(() => undefined);
  if (!source?.isDirectory()) return fail('permanent', `${layout.containerDir} does not exist or is not a directory`);
  let release: () => Promise<void>;
  try {
    release = await acquireLock(layout.lockFile, `a backup or restore of ${container.name}`);
  } catch (error) {
    if (error instanceof AlreadyRunningError) return fail('transient', error.message);
    throw error;
  }
  try {
    for (const dir of [layout.tempDir, layout.archiveDir, layout.gnupgHome]) await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeExcludeFile(ctx);
    const configRecord = await takeConfigRecord(ctx);
    // The metadata must describe the same moment the backup does, so it is captured first
    // and travels inside the same backup set.
    let skipped: SkippedSummary | undefined;
    try {
      const summary = await captureMetadata(layout.containerDir, layout.metaDir, {
        signal: options.signal,
        timeoutMs: durationSeconds(container.settings.capture_timeout) * 1000,
      });
      skipped = skippedOf(summary);
    } catch (error) {
      return fail('transient', `capturing metadata: ${(error as Error).message}`);
    }
    let command;
    try {
      command = buildBackup(ctx, { full: options.full, progress: options.interactive });
    } catch (error) {
      return fail('permanent', (error as Error).message);
    }
    const run = await runDuplicity(command, {
      signal: options.signal,
      timeoutMs: durationSeconds(container.settings.timeout) * 1000,
      echo: options.interactive,
    });
    if (!run.ok) return { ok: false, durationMs: Date.now() - started, failure: run.failure, ...(skipped ? { skipped } : {}) };
    await keepConfigRecord(ctx, configRecord);
    const statistics = parseStatistics(run.result.stdout);
    const chain = await readChainSummaryFromCache(ctx).catch(() => undefined);
    return {
      ok: true,
      durationMs: Date.now() - started,
      ...(statistics ? { bytes: statistics.totalDestinationSizeChange } : {}),
      ...(chain ? { chain } : {}),
      ...(skipped ? { skipped } : {}),
    };
  } finally {
    await release();
  }
}

// What the capture left out, as the outcome reports it; undefined when nothing was.
function skippedOf(summary: MetadataSummary): SkippedSummary | undefined {
  const { files, xattrPaths, examples } = summary.skipped;
  if (files + xattrPaths === 0) return undefined;
  return { count: files + xattrPaths, reason: describeSkipped(summary.skipped), examples };
}
