// A per-container lock shared by the agent and direct CLI runs, so two duplicity
// processes never work on one container's archive at once.
import { mkdir, open, readFile, rm } from 'node:fs/promises';
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

// Takes the lock at `path` (a file holding the owner's pid); a lock whose owner died is taken over.
export async function acquireLock(path: string, what: string): Promise<() => Promise<void>> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(path, 'wx', 0o600);
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return async () => {
        await rm(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) {
        throw new AlreadyRunningError(`${what} is already running (pid ${owner})`);
      }
      // The owner is gone (crash, SIGKILL): its lock proves nothing any more.
      await rm(path, { force: true });
    }
  }
  throw new AlreadyRunningError(`${what}: could not take the lock ${path}`);
}
