// Restores a container directory (or one path in it) from its backups into a directory,
// with the metadata duplicity cannot keep applied. Works in a staging directory next to
// the destination and moves the result into place only when everything succeeded, so a
// failure leaves no partial tree.
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, normalize, resolve } from 'node:path';
import { buildRestore } from './duplicity/argv.js';
import { pathInBackup } from './duplicity/layout.js';
import { applyMetadata, type ApplySummary } from './fidelity/apply.js';
import type { JobContext } from './job-context.js';
import { AlreadyRunningError, withContainerLock } from './lock.js';
import { moveIntoPlace, RestorePlaceError } from './restore-place.js';
import { restoreProgressLines, withProgressLog, type RestoreProgress } from './restore-progress.js';
import { errorMessage } from '../core/error-message.js';
import { runDuplicityHealing } from './cache-heal.js';
import { restoreSetWithoutTime } from './restore-time.js';

export interface RestoreOptions {
  destination: string;
  time?: string;
  // A path inside the container directory, e.g. rootfs/etc.
  path?: string;
  force?: boolean;
  signal?: AbortSignal;
  onStep?: (message: string) => void;
  // Phase changes and, while fetching, volumes and files done (see restore-progress.ts).
  onProgress?: (progress: RestoreProgress) => void;
  // Also keep the restored metadata directory, moved here (a drill reads its manifest).
  keepMetadata?: string;
}

export interface RestoreResult {
  restoredTo: string;
  metadata: ApplySummary;
}

// A restore that cannot be done, with a one-line reason.
export class RestoreError extends Error {
  override name = 'RestoreError';
}

// `rootfs/etc/` → `rootfs/etc`; refuses absolute paths and `..`.
function normalizeRestorePath(path: string): string {
  const clean = normalize(path)
    .replace(/^\.\/+/, '')
    .replace(/\/+$/, '');
  if (clean.startsWith('/') || clean === '..' || clean.startsWith('../') || clean === '.' || clean === '') {
    throw new RestoreError(`expected --path relative to the container directory (like rootfs/etc), got ${JSON.stringify(path)}`);
  }
  return clean;
}

async function isNonEmptyDir(path: string): Promise<boolean> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return false;
  if (!info.isDirectory()) return true;
  return (await readdir(path)).length > 0;
}

async function restoreInto(ctx: JobContext, options: RestoreOptions, pathInArchive: string, destination: string): Promise<void> {
  const built = buildRestore(ctx, { destination, pathInArchive, ...(options.time ? { time: options.time } : {}) });
  const progress = options.onProgress;
  const command = progress ? withProgressLog(built) : built;
  // With progress, stdout (a line per guest file) is read line by line and not kept.
  const watch = progress ? { onLine: restoreProgressLines(progress), bufferStdout: false } : {};
  const run = await runDuplicityHealing(ctx, command, { ...(options.signal ? { signal: options.signal } : {}), ...watch });
  if (!run.ok) throw new RestoreError(`restore of ${ctx.container.name} failed: ${run.failure?.message ?? 'duplicity failed'}`);
}

// Restores the container in `ctx` as described by `options`.
export async function restoreContainer(ctx: JobContext, options: RestoreOptions): Promise<RestoreResult> {
  const destination = resolve(options.destination);
  const subpath = options.path === undefined ? undefined : normalizeRestorePath(options.path);
  if (!options.force && (await isNonEmptyDir(destination))) {
    throw new RestoreError(`${destination} is not empty: choose an empty directory or add --force to replace it`);
  }
  return withContainerLock(ctx.layout, 'restore', () => restoreLocked(ctx, options, destination, subpath)).catch((error: unknown) => {
    throw error instanceof AlreadyRunningError ? new RestoreError(error.message) : error;
  });
}

async function restoreLocked(
  ctx: JobContext,
  options: RestoreOptions,
  destination: string,
  subpath: string | undefined,
): Promise<RestoreResult> {
  const step = options.onStep ?? (() => {});
  // Without --time, the newest complete set, never a newer one an interrupted backup left.
  const choice = options.time ? undefined : await restoreSetWithoutTime(ctx);
  if (choice) {
    step(choice.reason);
    options = { ...options, time: choice.time };
  }
  const staging = join(dirname(destination), `.${basename(destination)}.lxc-backup-restoring-${process.pid}`);
  try {
    await rm(staging, { recursive: true, force: true });
    await mkdir(staging, { recursive: true, mode: 0o700 });
    const containerInArchive = pathInBackup(ctx.layout.containerDir);
    const metaInArchive = pathInBackup(ctx.layout.metaDir);
    let restoredRoot: string;
    let metaRoot: string;
    options.onProgress?.({ phase: 'fetching' });
    if (subpath === undefined) {
      // One duplicity run for container and metadata: the backup holds nothing else.
      step(`restoring ${ctx.container.name}${options.time ? ` as of ${options.time}` : ''} from ${ctx.container.target}`);
      await restoreInto(ctx, options, '', join(staging, 'all'));
      restoredRoot = join(staging, 'all', containerInArchive);
      metaRoot = join(staging, 'all', metaInArchive);
      if (!(await stat(restoredRoot).catch(() => undefined))) {
        throw new RestoreError(
          `the backup of ${ctx.container.name} holds no /${containerInArchive} (was host_root different when it was made?)`,
        );
      }
    } else {
      step(`restoring ${subpath} of ${ctx.container.name}${options.time ? ` as of ${options.time}` : ''} from ${ctx.container.target}`);
      restoredRoot = join(staging, 'path');
      metaRoot = join(staging, 'meta');
      await restoreInto(ctx, options, `${containerInArchive}/${subpath}`, restoredRoot);
      await restoreInto(ctx, options, metaInArchive, metaRoot);
    }
    step('applying xattrs, ACLs, capabilities, hard links and holes');
    options.onProgress?.({ phase: 'applying metadata' });
    const metadata = await applyMetadata(restoredRoot, metaRoot, subpath ? { subpath } : {}).catch((error: unknown) => {
      throw new RestoreError(`applying metadata: ${errorMessage(error)}`);
    });
    if (options.keepMetadata) await rename(metaRoot, options.keepMetadata);
    options.onProgress?.({ phase: 'moving into place' });
    const final = await moveIntoPlace(restoredRoot, destination, subpath ?? '').catch((error: unknown) => {
      throw error instanceof RestorePlaceError ? new RestoreError(error.message) : error;
    });
    return { restoredTo: final, metadata };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
