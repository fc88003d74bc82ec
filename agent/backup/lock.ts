// A per-container lock shared by the agent and direct CLI runs, so two duplicity
// processes never work on one container's archive at once. (duplicity's own lock in the
// archive dir is the second line of defence; ours also covers the metadata capture.)
import { link, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

// Thrown when another live process holds the lock.
export class AlreadyRunningError extends Error {
  override name = 'AlreadyRunningError';
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function ownerOf(path: string): Promise<number | undefined> {
  const owner = Number((await readFile(path, 'utf8').catch(() => '')).trim());
  return Number.isInteger(owner) && owner > 0 ? owner : undefined;
}

// Takes the lock at `path` (a file holding the owner's pid); a lock whose owner died is taken over.
export async function acquireLock(path: string, what: string): Promise<() => Promise<void>> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  // The pid is written before the lock appears (link is atomic), so a reader never sees an empty lock.
  const mine = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  await writeFile(mine, `${process.pid}\n`, { mode: 0o600 });
  const release = async (): Promise<void> => {
    if ((await ownerOf(path)) === process.pid) await rm(path, { force: true });
  };
  try {
    await link(mine, path);
    return release;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const owner = await ownerOf(path);
    if (owner !== undefined && isAlive(owner)) throw new AlreadyRunningError(`${what} is already running (pid ${owner})`);
    // The owner is gone (crash, SIGKILL). Replace its lock atomically, then check that no
    // other process replaced it at the same moment: the last writer wins, the others back off.
    await rename(mine, path);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const winner = await ownerOf(path);
    if (winner !== process.pid) throw new AlreadyRunningError(`${what} is already running (pid ${winner ?? 'unknown'})`);
    return release;
  } finally {
    await rm(mine, { force: true });
  }
}
