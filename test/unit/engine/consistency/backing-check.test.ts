// A rootfs that does not hold the container's files where the agent reads them fails its job
// instead of backing up an empty directory: an unmounted ZFS dataset, an LVM volume without a
// snapshot. Plain directories and btrfs subvolumes are read as they are.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backingProblem, configBacking } from '../../../../agent/engine/consistency/backing-check.js';

let root: string;
let dir: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'lxc-backup-backing-'));
  dir = join(root, 'web');
  await mkdir(join(dir, 'rootfs'), { recursive: true });
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe('configBacking', () => {
  it.each([
    ['lxc.rootfs.path = dir:/var/lib/lxc/web/rootfs\n', undefined],
    ['lxc.rootfs.path = btrfs:/var/lib/lxc/web/rootfs\n', 'btrfs'],
    ['lxc.rootfs.path = zfs:tank/lxc/web\n', 'zfs'],
    ['lxc.rootfs.path = lvm:/dev/vg0/web\n', 'lvm'],
  ])('%j is %s', async (config, backing) => {
    await writeFile(join(dir, 'config'), config);
    expect(await configBacking(dir, 'web', root)).toBe(backing);
  });

  it('no config: a plain directory as far as this check goes', async () => {
    expect(await configBacking(dir, 'web', root)).toBeUndefined();
  });
});

describe('backingProblem', () => {
  it('lvm needs a snapshot', async () => {
    expect(await backingProblem(dir, 'lvm', 'freeze')).toMatch(/read only from a host helper snapshot/);
    expect(await backingProblem(dir, 'lvm', 'snapshot')).toBeUndefined();
  });

  it('zfs with no dataset mounted at rootfs is refused, not backed up empty', async () => {
    expect(await backingProblem(dir, 'zfs', 'live')).toMatch(/no dataset is mounted at .*rootfs .*rbind/);
  });

  it('dir and btrfs are read as they are', async () => {
    expect(await backingProblem(dir, undefined, 'live')).toBeUndefined();
    expect(await backingProblem(dir, 'btrfs', 'freeze')).toBeUndefined();
  });
});
