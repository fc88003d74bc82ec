// boot-test of a restored tree under the restore scratch: a busybox tree boots and leaves no
// container behind; without /sbin/init it fails, reported and cleaned up; a path through a
// symlink is refused.
import { execa } from 'execa';
import { cp, mkdir, readdir, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HelperError, type HelperSession, openHelperSession } from '../../agent/core/helper-session.js';
import type { FixtureProcess } from '../support/fixture-process.js';
import { waitFor } from '../support/wait-for.js';
import {
  buildHelperBundle,
  createGuest,
  guestName,
  type HelperDirs,
  makeHelperDirs,
  removeGuests,
  startHelper,
} from './host-helper-fixture.js';

let dirs: HelperDirs;
let helper: FixtureProcess;
let session: HelperSession;
let bundle: string;

beforeAll(async () => {
  dirs = await makeHelperDirs('helper-boot');
  bundle = await buildHelperBundle(dirs.work);
  const rootfs = await createGuest(dirs, guestName('boot'), { start: false });
  // Two restored copies of the tree, as `lxc-backup restore` leaves them: DIR/rootfs.
  for (const name of ['good', 'noinit']) {
    await mkdir(join(dirs.restoreRoot, 'runs', name), { recursive: true });
    await cp(rootfs, join(dirs.restoreRoot, 'runs', name, 'rootfs'), { recursive: true, verbatimSymlinks: true });
  }
  await rm(join(dirs.restoreRoot, 'runs', 'noinit', 'rootfs', 'sbin', 'init'));
  await symlink(join(dirs.restoreRoot, 'runs'), join(dirs.restoreRoot, 'link'));
  helper = await startHelper(bundle, dirs, ['--boot-settle', '2']);
  session = await openHelperSession(dirs.socket, 5000);
});
afterAll(async () => {
  session?.close();
  await helper?.stop();
  if (dirs) await removeGuests(dirs);
});

// No boot-test container left: none in the helper's lxcpath, no mount of the restored tree.
async function expectNothingLeft(): Promise<void> {
  expect(await readdir(join(dirs.stateDir, 'boot'))).toEqual([]);
  expect(await readdir(join(dirs.stateDir, 'held'))).toEqual([]);
  expect((await execa('findmnt', ['-rn', '-o', 'TARGET'])).stdout).not.toContain(dirs.stateDir);
  expect((await execa('lxc-ls', ['-P', join(dirs.stateDir, 'boot'), '-1'], { reject: false })).stdout.trim()).toBe('');
}

describe('host helper boot-test', () => {
  it('boots a busybox tree and leaves no container behind', async () => {
    const reply = await session.request({ verb: 'boot-test', dir: 'runs/good', timeout_s: 60 }, 90_000);
    expect(reply.booted, reply.detail).toBe(true);
    expect(reply.detail).toMatch(/alive/);
    await expectNothingLeft();
  });

  it('fails a tree without /sbin/init, reports it and cleans up', async () => {
    const reply = await session.request({ verb: 'boot-test', dir: 'runs/noinit', timeout_s: 30 }, 60_000);
    expect(reply.booted).toBe(false);
    expect(reply.detail).toMatch(/lxc-start failed .*Failed to exec "\/sbin\/init"/);
    await expectNothingLeft();
  });

  it('removes a boot-test container at its next start after the helper was SIGKILLed during the test', async () => {
    await helper.stop();
    helper = await startHelper(bundle, dirs, ['--boot-settle', '600']);
    const other = await openHelperSession(dirs.socket, 5000);
    const pending = other.request({ verb: 'boot-test', dir: 'runs/good', timeout_s: 600 }, 700_000).catch((caught: unknown) => caught);
    await waitFor(async () => (await readdir(join(dirs.stateDir, 'boot'))).length > 0, 30_000, 'the boot-test container');
    await waitFor(
      async () =>
        (
          await execa('lxc-ls', ['-P', join(dirs.stateDir, 'boot', (await readdir(join(dirs.stateDir, 'boot')))[0]!), '--running', '-1'])
        ).stdout.trim() !== '',
      30_000,
      'it runs',
    );
    process.kill(helper.pid, 'SIGKILL');
    await helper.stop();
    expect(await pending).toBeInstanceOf(HelperError);
    helper = await startHelper(bundle, dirs, ['--boot-settle', '2']);
    session = await openHelperSession(dirs.socket, 5000);
    await expectNothingLeft();
  });

  it('refuses a dir reached through a symlink', async () => {
    const error = await session.request({ verb: 'boot-test', dir: 'link/good', timeout_s: 30 }, 60_000).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HelperError);
    expect((error as HelperError).message).toMatch(/link: expected a directory that is not a symlink \((ELOOP|ENOTDIR)\)/);
  });
});
