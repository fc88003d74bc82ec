// Read-only views of a container's backups: files in a backup, and verify.
import { buildListFiles, buildVerify } from './duplicity/argv.js';
import { pathInBackup } from './duplicity/layout.js';
import { parseFileList } from './duplicity/parse-file-list.js';
import type { JobContext } from './job-context.js';
import { writeExcludeFile } from './exclude-file.js';
import { runDuplicity } from './run-duplicity.js';
import { runDuplicityHealing } from './cache-heal.js';

export interface BackupFile {
  time: string;
  // Path relative to the container directory ('' is the directory itself).
  path: string;
}

// The container's files in the newest backup, or the one at `time`.
export async function listBackupFiles(ctx: JobContext, time?: string): Promise<BackupFile[]> {
  const run = await runDuplicityHealing(ctx, buildListFiles(ctx, time), { timeoutMs: 60 * 60_000 });
  if (!run.ok) throw new Error(`listing files of ${ctx.container.name} failed: ${run.failure?.message ?? ''}`);
  const prefix = pathInBackup(ctx.layout.containerDir);
  // The machine log when duplicity wrote one (an empty backup lists nothing there either).
  const listing = run.result.fd3.trim() !== '' ? run.result.fd3 : run.result.stdout;
  return parseFileList(listing).flatMap(({ time: fileTime, path }) => {
    if (path === prefix) return [{ time: fileTime, path: '' }];
    return path.startsWith(`${prefix}/`) ? [{ time: fileTime, path: path.slice(prefix.length + 1) }] : [];
  });
}

export interface VerifyResult {
  ok: boolean;
  message: string;
}

// duplicity verify of the newest backup against the container as it is now.
export async function verifyBackup(ctx: JobContext): Promise<VerifyResult> {
  await writeExcludeFile(ctx);
  const run = await runDuplicity(buildVerify(ctx), { timeoutMs: 12 * 60 * 60_000 });
  const summary = run.result.stdout
    .split('\n')
    .find((line) => /Verify complete/.test(line))
    ?.trim();
  if (run.ok) return { ok: true, message: summary ?? 'verify complete' };
  return { ok: false, message: summary ?? run.failure?.message ?? 'verify failed' };
}
