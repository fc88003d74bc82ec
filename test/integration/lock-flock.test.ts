// The per-container lock against the real kernel: an flock held through our open file, so
// another process is refused while we live and takes it at once after we die (kill -9 too),
// whatever pid the file names.
import { execa, type ResultPromise } from 'execa';
import { readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireLock, AlreadyRunningError, describeHolder, withContainerLock } from '../../agent/engine/lock.js';
import { spawnProcess } from '../../agent/engine/process/spawn.js';
import { makeTempDir, removeDir } from '../support/temp.js';

const HOLDER = join(import.meta.dirname, '..', 'fixtures', 'lock', 'hold-lock.ts');
let dir: string;
let children: ResultPromise[] = [];

beforeEach(async () => {
  dir = await makeTempDir('lock');
});
afterEach(async () => {
  for (const child of children) child.kill('SIGKILL');
  await Promise.allSettled(children);
  children = [];
  await removeDir(dir);
});

// Starts the holder fixture on `path` and resolves once it printed its first line.
async function startHolder(path: string): Promise<{ child: ResultPromise; line: string }> {
  const child = execa('node', ['--import', 'tsx', HOLDER, path], { reject: false, buffer: false, stdout: 'pipe' });
  children.push(child);
  const line = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (text.includes('\n')) resolve(text.split('\n')[0] ?? '');
    });
    child.once('exit', () => resolve(text.trim()));
    child.once('error', reject);
  });
  return { child, line };
}

describe('acquireLock (flock)', () => {
  it('refuses this process while another process holds it, naming the holder and the file; a kill -9 frees it at once', async () => {
    const path = join(dir, 'locks', 'web.lock');
    const { child, line } = await startHolder(path);
    expect(line).toBe('held');
    const refused = await acquireLock(path, 'backup of web').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AlreadyRunningError);
    expect((refused as Error).message).toMatch(
      new RegExp(
        `^cannot start the backup of web: already running \\(pid ${child.pid}\\): backup of child since \\S+Z; lock file ${path}$`,
      ),
    );
    child.kill('SIGKILL');
    await child;
    const started = Date.now();
    const release = await acquireLock(path, 'backup of web');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await readFile(path, 'utf8')).toMatch(new RegExp(`^pid ${process.pid} backup of web since \\S+Z\\n$`));
    await release();
  });

  it('refuses another process while this one holds it, and lets it in after release', async () => {
    const path = join(dir, 'web.lock');
    const release = await acquireLock(path, 'prune of web');
    const busy = await startHolder(path);
    expect(busy.line).toBe(
      `busy: cannot start the backup of child: already running (pid ${process.pid}): prune of web since ${busy.line.split(' since ')[1]?.split(';')[0]}; lock file ${path}`,
    );
    expect((await busy.child).exitCode).toBe(3);
    await release();
    expect((await startHolder(path)).line).toBe('held');
  });

  it('refuses a second holder in the same process too (each open is its own lock)', async () => {
    const path = join(dir, 'web.lock');
    await withContainerLock({ name: 'web', lockFile: path }, 'backup', async () => {
      await expect(withContainerLock({ name: 'web', lockFile: path }, 'restore', async () => 1)).rejects.toThrow(
        /cannot start the restore of web: already running \(pid \d+\): backup of web/,
      );
    });
    expect(await withContainerLock({ name: 'web', lockFile: path }, 'restore', async () => 2)).toBe(2);
  });

  it.each([
    ['our own pid', `${process.pid}\n`],
    ['pid 1', '1\n'],
    ['an old holder line naming pid 1', 'pid 1 backup of web since 2020-01-01T00:00:00.000Z\n'],
    ['garbage', 'not a pid at all\n'],
  ])('takes a lock file left behind with %s: only a live flock counts', async (_what, content) => {
    const path = join(dir, 'web.lock');
    await writeFile(path, content);
    const release = await acquireLock(path, 'backup of web');
    expect(await readFile(path, 'utf8')).toMatch(new RegExp(`^pid ${process.pid} backup of web since `));
    await release();
  });

  it('does not leak the lock descriptor into the processes it starts (O_CLOEXEC)', async () => {
    const path = join(dir, 'web.lock');
    await withContainerLock({ name: 'web', lockFile: path }, 'backup', async () => {
      const listed = await spawnProcess('find', ['/proc/self/fd', '-mindepth', '1', '-printf', '%l\\n']);
      expect(listed.stdout).not.toContain(path);
    });
    expect((await startHolder(path)).line).toBe('held');
  });

  it.each([
    [
      'a symlink',
      async (path: string) => symlink(join(dir, 'elsewhere'), path),
      /cannot open the lock file .*web\.lock: expected a regular file we can create, got ELOOP/,
    ],
    [
      'a FIFO',
      async (path: string) => execa('mkfifo', ['-m', '600', path]),
      /cannot use the lock file .*web\.lock: expected a regular file/,
    ],
  ])('refuses a lock path that is %s, without following or blocking', async (_what, plant, message) => {
    const path = join(dir, 'web.lock');
    await plant(path);
    await expect(acquireLock(path, 'backup of web')).rejects.toThrow(message);
  });
});

describe('describeHolder', () => {
  it.each([
    ['pid 42 backup of web since 2026-01-01T00:00:00.000Z\n', '(pid 42): backup of web since 2026-01-01T00:00:00.000Z'],
    ['', '(holder unknown)'],
    ['42\n', '(holder unknown, the file says "42")'],
    ['pid 7 x\u0007y\nsecond line', '(pid 7): x?y'],
  ])('%j → %s', (text, expected) => {
    expect(describeHolder(text)).toBe(expected);
  });
});
