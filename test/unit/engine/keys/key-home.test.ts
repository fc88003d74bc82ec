// The temporary GnuPG home: on a tmpfs when there is one, 0700, wiped whole; homes of dead
// processes are swept, a live one's never.
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { keyHomeParent, makeKeyHome, sweepStaleKeyHomes, wipeKeyHome } from '../../../../agent/engine/keys/key-home.js';
import { makeTempDir, removeDir } from '../../../support/temp.js';

let dir = '';
afterEach(async () => {
  if (dir) await removeDir(dir);
});

describe('key home', () => {
  it('prefers a tmpfs and falls back to the system temp directory', async () => {
    dir = await makeTempDir('keyhome');
    expect(keyHomeParent([join(dir, 'missing')])).toBe(tmpdir());
    expect(keyHomeParent(['/dev/shm'])).toBe((await stat('/dev/shm').catch(() => undefined)) ? '/dev/shm' : tmpdir());
  });

  it('makes a 0700 home named after the process and wipes it whole', async () => {
    dir = await makeTempDir('keyhome');
    const home = makeKeyHome(dir);
    expect((await stat(home)).mode & 0o777).toBe(0o700);
    expect(home).toContain(`lxc-backup-key-${process.pid}-`);
    await mkdir(join(home, 'private-keys-v1.d'));
    await writeFile(join(home, 'private-keys-v1.d', 'K.key'), 'secret material');
    wipeKeyHome(home);
    expect(await readdir(dir)).toEqual([]);
  });

  it('sweeps the homes of processes that are gone, not of live ones', async () => {
    dir = await makeTempDir('keyhome');
    await mkdir(join(dir, 'lxc-backup-key-999999999-abc'));
    await mkdir(join(dir, `lxc-backup-key-${process.pid}-abc`));
    await mkdir(join(dir, 'lxc-backup-key-1-abc'));
    expect(sweepStaleKeyHomes(dir)).toEqual([join(dir, 'lxc-backup-key-999999999-abc')]);
    expect((await readdir(dir)).sort()).toEqual(['lxc-backup-key-1-abc', `lxc-backup-key-${process.pid}-abc`]);
  });
});
