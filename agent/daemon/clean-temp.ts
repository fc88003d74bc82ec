// Removes what killed duplicity runs left in state_dir/tmp (their `duplicity-*-tempdir`
// directories hold whole volumes). Run at agent start, when no job of this agent runs yet.
import { lstat, open, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

export interface TempCleanup {
  removed: number;
  bytes: number;
  // Set when cleaning was skipped because a duplicity process outside the agent uses the directory.
  inUseBy?: number;
}

// /proc/PID/cmdline is short for any real process; read no more than this of it.
const CMDLINE_BYTES = 64 * 1024;

// The pid of a running process (a direct `lxc-backup backup` started before the agent)
// whose command line names `tempDir` as duplicity's --tempdir, if any.
async function userOf(tempDir: string): Promise<number | undefined> {
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const handle = await open(`/proc/${entry}/cmdline`, 'r').catch(() => undefined);
    if (!handle) continue;
    try {
      const buffer = Buffer.alloc(CMDLINE_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, CMDLINE_BYTES, 0);
      const args = buffer.subarray(0, bytesRead).toString('utf8').split('\0');
      if (args.some((arg, i) => arg === `--tempdir=${tempDir}` || (arg === '--tempdir' && args[i + 1] === tempDir))) return Number(entry);
    } finally {
      await handle.close();
    }
  }
  return undefined;
}

async function sizeOf(path: string): Promise<number> {
  const info = await lstat(path).catch(() => undefined);
  if (!info) return 0;
  if (!info.isDirectory()) return info.size;
  let total = 0;
  for (const name of await readdir(path).catch(() => [] as string[])) total += await sizeOf(join(path, name));
  return total;
}

// Removes every entry of `tempDir` last changed before `startedAt`, unless a duplicity process
// outside the agent is using the directory (then nothing: the next start cleans).
export async function cleanTempDir(tempDir: string, startedAt: Date): Promise<TempCleanup> {
  const entries = await readdir(tempDir).catch(() => [] as string[]);
  if (entries.length === 0) return { removed: 0, bytes: 0 };
  const inUseBy = await userOf(tempDir);
  if (inUseBy !== undefined) return { removed: 0, bytes: 0, inUseBy };
  let removed = 0;
  let bytes = 0;
  for (const name of entries) {
    const path = join(tempDir, name);
    const info = await lstat(path).catch(() => undefined);
    if (!info || info.mtimeMs >= startedAt.getTime()) continue;
    const size = await sizeOf(path);
    // rm does not follow symlinks: a link inside is removed, not what it points to.
    await rm(path, { recursive: true, force: true });
    removed++;
    bytes += size;
  }
  return { removed, bytes };
}
