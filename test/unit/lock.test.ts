// The per-container lock: exclusive while its owner lives, taken over when the owner died.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireLock, AlreadyRunningError } from '../../agent/backup/lock.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lxc-backup-lock-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('acquireLock', () => {
  it('refuses a second holder while the first lives, and frees on release', async () => {
    const path = join(dir, 'locks', 'web.lock');
    const release = await acquireLock(path, 'a backup of web');
    expect(await readFile(path, 'utf8')).toBe(`${process.pid}\n`);
    await expect(acquireLock(path, 'a backup of web')).rejects.toThrow(AlreadyRunningError);
    await expect(acquireLock(path, 'a backup of web')).rejects.toThrow(`a backup of web is already running (pid ${process.pid})`);
    await release();
    const again = await acquireLock(path, 'a backup of web');
    await again();
  });

  it('takes over a lock whose owner is dead', async () => {
    const path = join(dir, 'web.lock');
    await writeFile(path, '2147483646\n');
    const release = await acquireLock(path, 'x');
    expect(await readFile(path, 'utf8')).toBe(`${process.pid}\n`);
    await release();
  });
});
