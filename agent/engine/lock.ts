// A per-container lock shared by the agent and direct CLI runs, so two duplicity
// processes never work on one container's archive at once. (duplicity's own lock in the
// archive dir is the second line of defence; ours also covers the metadata capture.)
//
// The lock is an flock(2) on an open file description that this process keeps open for the
// job's lifetime, so the kernel drops it when the process ends in any way (kill -9, reboot):
// it cannot go stale and a reused pid means nothing. Node has no flock, so util-linux
// `flock --nonblock 3` is run with our descriptor as its fd 3: the lock belongs to the
// description, not to flock's process, and stays after flock exits. Node opens files with
// O_CLOEXEC, so duplicity never inherits it. The file is never unlinked: unlink and
// re-create would let two processes lock two different files under one name.
import { close, constants, fstat, ftruncate, mkdir, open, read, write } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import type { ContainerLayout } from './duplicity/layout.js';
import { spawnProcess } from './process/spawn.js';
import { errnoCode, errorMessage } from '../core/error-message.js';

const openFd = promisify(open);
const closeFd = promisify(close);
const fstatFd = promisify(fstat);
const truncateFd = promisify(ftruncate);
const makeDir = promisify(mkdir);

// flock's exit code when the lock is held elsewhere (set with --conflict-exit-code).
const CONFLICT = 75;
// The holder line is ours, but is read back only this far and cleaned, whatever it holds.
const HOLDER_BYTES = 512;

// Thrown when another live process holds the lock.
export class AlreadyRunningError extends Error {
  override name = 'AlreadyRunningError';
}

// Takes the lock at `path` for `what` (e.g. "backup of web"); resolves to its release.
// Throws AlreadyRunningError naming the holder and the file when it is held.
export async function acquireLock(path: string, what: string): Promise<() => Promise<void>> {
  await makeDir(dirname(path), { recursive: true, mode: 0o700 });
  // O_NONBLOCK: a FIFO planted at the path must not hang the open.
  const flags = constants.O_RDWR | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK;
  const fd = await openFd(path, flags, 0o600).catch((error: unknown) => {
    throw new Error(
      `cannot open the lock file ${path}: expected a regular file we can create, got ${errnoCode(error) ?? errorMessage(error)}`,
    );
  });
  let held = false;
  try {
    const info = await fstatFd(fd);
    if (!info.isFile()) throw new Error(`cannot use the lock file ${path}: expected a regular file, got another kind of file`);
    const result = await spawnProcess('flock', ['--nonblock', '--conflict-exit-code', String(CONFLICT), '3'], {
      passFd3: fd,
      timeoutMs: 30_000,
      graceMs: 1000,
    });
    if (result.exitCode === CONFLICT) {
      throw new AlreadyRunningError(`cannot start the ${what}: already running ${describeHolder(await readHolder(fd))}; lock file ${path}`);
    }
    if (result.exitCode !== 0) {
      const reason =
        result.startError ?? (result.stderr.trim().split('\n').at(-1) || `exit ${result.exitCode ?? result.signal ?? 'unknown'}`);
      throw new Error(`cannot lock ${path} with flock: expected it to exit 0 or ${CONFLICT}, got ${reason}`);
    }
    // For messages only: who holds it and since when. The lock itself is the flock.
    await truncateFd(fd, 0);
    await writeAt(fd, `pid ${process.pid} ${what} since ${new Date().toISOString()}\n`);
    held = true;
  } finally {
    if (!held) await closeFd(fd).catch(() => undefined);
  }
  let closed = false;
  return async () => {
    if (closed) return;
    closed = true;
    await closeFd(fd);
  };
}

// What a job does to a container, as the lock file and the "already running" message say it.
export type LockedAction = 'backup' | 'prune' | 'restore';

// Runs `fn` while holding the container's one lock (backup, prune and restore all take it),
// and releases it however `fn` ends. Throws AlreadyRunningError when another job holds it.
export async function withContainerLock<T>(
  layout: Pick<ContainerLayout, 'name' | 'lockFile'>,
  what: LockedAction,
  fn: () => Promise<T>,
): Promise<T> {
  const release = await acquireLock(layout.lockFile, `${what} of ${layout.name}`);
  try {
    return await fn();
  } finally {
    await release();
  }
}

// "(pid 123): backup of web since 2026-…" from the holder's line; "(holder unknown)" when it has not written one yet.
export function describeHolder(text: string): string {
  const line = (text.split('\n')[0] ?? '').replace(/[^\x20-\x7e]/g, '?').slice(0, 200);
  const match = /^pid (\d+) (.+)$/.exec(line);
  if (match) return `(pid ${match[1]}): ${match[2]}`;
  return line ? `(holder unknown, the file says ${JSON.stringify(line)})` : '(holder unknown)';
}

async function readHolder(fd: number): Promise<string> {
  const buffer = Buffer.alloc(HOLDER_BYTES);
  const { bytesRead } = await new Promise<{ bytesRead: number }>((resolve, reject) =>
    read(fd, buffer, 0, HOLDER_BYTES, 0, (error, bytesRead) => (error ? reject(error) : resolve({ bytesRead }))),
  ).catch(() => ({ bytesRead: 0 }));
  return buffer.subarray(0, bytesRead).toString('utf8');
}

async function writeAt(fd: number, text: string): Promise<void> {
  const bytes = Buffer.from(text);
  await new Promise<void>((resolve, reject) => write(fd, bytes, 0, bytes.length, 0, (error) => (error ? reject(error) : resolve())));
}
