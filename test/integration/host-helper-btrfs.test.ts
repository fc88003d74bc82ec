// btrfs snapshots on a loop-mounted btrfs lxcpath: read-only subvolume at the exposed path, the
// guest paused under a second (from the helper's log), gone after release; and a helper
// SIGKILLed while holding a freeze and a snapshot leaves nothing held after its next start.
import { execa } from 'execa';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SNAPSHOT_DIR } from '../../agent/core/helper-protocol.js';
import { openHelperSession } from '../../agent/core/helper-session.js';
import type { FixtureProcess } from '../support/fixture-process.js';
import { removeDir } from '../support/temp.js';
import { waitFor } from '../support/wait-for.js';
import {
  buildHelperBundle,
  createGuest,
  guestName,
  guestState,
  type HelperDirs,
  helperLog,
  makeHelperDirs,
  removeGuests,
  startHelper,
} from './host-helper-fixture.js';

let dirs: HelperDirs;
let bundle: string;
let helper: FixtureProcess | undefined;
let mounted = false;
const onBtrfs = guestName('btrfs');
const onDir = guestName('dir');

beforeAll(async () => {
  dirs = await makeHelperDirs('helper-btrfs');
  bundle = await buildHelperBundle(dirs.work);
  const image = join(dirs.work, 'btrfs.img');
  await execa('truncate', ['-s', '512M', image]);
  await execa('mkfs.btrfs', ['-q', image]);
  await execa('mount', ['-o', 'loop', image, dirs.lxcpath]);
  mounted = true;
  await createGuest(dirs, onBtrfs, { btrfs: true });
  await createGuest(dirs, onDir);
  await writeFile(join(dirs.lxcpath, onBtrfs, 'rootfs', 'root', 'marker'), 'before the snapshot\n');
  helper = await startHelper(bundle, dirs);
});
afterAll(async () => {
  await helper?.stop();
  if (!dirs) return;
  await removeGuests(dirs, { keepWork: true });
  if (mounted) await execa('umount', [dirs.lxcpath]);
  await removeDir(dirs.work);
});

describe('host helper btrfs snapshots', () => {
  it('says a btrfs guest can be snapshotted', async () => {
    const session = await openHelperSession(dirs.socket, 5000);
    expect(await session.request({ verb: 'state', name: onBtrfs }, 10_000)).toMatchObject({ backing: 'btrfs', snapshot: true });
    session.close();
  });

  it('takes a read-only snapshot at the exposed path with the guest paused under a second, and releases it', async () => {
    const session = await openHelperSession(dirs.socket, 5000);
    const reply = await session.request({ verb: 'snapshot', name: onBtrfs, max_s: 10 }, 30_000);
    expect(reply.path).toBe(`${SNAPSHOT_DIR}/${onBtrfs}/rootfs`);
    const exposed = join(dirs.lxcpath, reply.path);
    expect((await execa('btrfs', ['property', 'get', '-ts', exposed, 'ro'])).stdout.trim()).toBe('ro=true');
    expect(await readFile(join(exposed, 'root', 'marker'), 'utf8')).toBe('before the snapshot\n');
    await expect(writeFile(join(exposed, 'root', 'new'), 'x')).rejects.toThrow(/EROFS|read-only/);
    expect(await guestState(dirs, onBtrfs)).toBe('RUNNING');
    const logged = helperLog(helper!).find((entry) => entry.verb === 'snapshot' && entry.container === onBtrfs);
    console.log(`btrfs snapshot: guest paused ${String(logged?.paused_ms)} ms (helper log), reply ${reply.paused_ms} ms`);
    expect(logged?.paused_ms).toBeLessThan(1000);
    expect(logged?.paused_ms).toBeGreaterThan(0);

    await session.request({ verb: 'release', name: onBtrfs }, 30_000);
    expect(await readdir(join(dirs.lxcpath, SNAPSHOT_DIR))).toEqual([]);
    expect((await execa('btrfs', ['subvolume', 'list', dirs.lxcpath])).stdout).not.toContain(SNAPSHOT_DIR);
    session.close();
  });

  it('cleans up at its next start after being SIGKILLed holding a freeze and a snapshot', async () => {
    const session = await openHelperSession(dirs.socket, 5000);
    await session.request({ verb: 'freeze', name: onDir, max_s: 600 }, 10_000);
    const snapshot = await session.request({ verb: 'snapshot', name: onBtrfs, max_s: 10 }, 30_000);
    process.kill(helper!.pid, 'SIGKILL');
    await helper!.stop();
    session.close();
    expect(await guestState(dirs, onDir)).toBe('FROZEN');
    expect((await execa('btrfs', ['subvolume', 'show', join(dirs.lxcpath, snapshot.path)], { reject: false })).exitCode).toBe(0);

    helper = await startHelper(bundle, dirs);
    expect(await guestState(dirs, onDir)).toBe('RUNNING');
    expect(await readdir(join(dirs.lxcpath, SNAPSHOT_DIR))).toEqual([]);
    expect((await execa('btrfs', ['subvolume', 'list', dirs.lxcpath])).stdout).not.toContain(SNAPSHOT_DIR);
    expect(await readdir(join(dirs.stateDir, 'held'))).toEqual([]);
    await waitFor(
      () => helperLog(helper!).some((entry) => entry.verb === 'recover-freeze' && entry.result === 'ok'),
      5000,
      'the recovery in the log',
    );
  });
});
