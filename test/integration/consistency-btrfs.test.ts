// snapshot mode on btrfs: a loop-mounted btrfs filesystem is the lxcpath, the guest is made with
// `lxc-create -B btrfs`. The helper freezes the guest only for `btrfs subvolume snapshot -r`;
// the backup reads the snapshot through a private mount namespace with today's paths; the
// snapshot is gone afterwards; the restore matches the guest's files with full fidelity.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, entries, linkGroups, run, xattrMap } from '../support/fidelity-tree.js';
import { makeTempDir, removeDir } from '../support/temp.js';
import {
  backup,
  type ConsistencyWorld,
  createGuest,
  destroyGuest,
  makeConsistencyWorld,
  must,
  restore,
  startGuest,
  startHelper,
  writePolicy,
} from './consistency-world.js';

const NAME = `consistency-btrfs-${randomBytes(3).toString('hex')}`;
let world: ConsistencyWorld;
let dir: string;
let mounted = false;

describe('consistency: snapshot mode on a btrfs lxcpath', () => {
  beforeAll(async () => {
    dir = await makeTempDir('consistency-btrfs', '/var/tmp');
    const image = join(dir, 'btrfs.img');
    const lxcpath = join(dir, 'lxc');
    await mkdir(lxcpath);
    await must('truncate', ['-s', '512M', image]);
    await must('mkfs.btrfs', ['-q', image]);
    await must('mount', ['-o', 'loop', image, lxcpath]);
    mounted = true;
    world = await makeConsistencyWorld(dir, lxcpath);
    const rootfs = await createGuest(world, NAME, 'btrfs');
    await buildFixture(join(rootfs, 'opt/fix'), join(dir, 'outside'));
    await startGuest(world, NAME);
    await startHelper(world);
  }, 180_000);

  afterAll(async () => {
    if (world) await destroyGuest(world, NAME);
    await world?.helper?.stop();
    if (mounted) await execa('umount', [join(dir, 'lxc')], { reject: false });
    await removeDir(dir);
  }, 180_000);

  it('pauses the guest under 1 s, leaves no snapshot, restores with full fidelity', async () => {
    await writePolicy(world, ['consistency: snapshot']);
    const outcome = await backup(world, NAME);
    expect(outcome.failure?.message).toBeUndefined();
    expect(outcome.consistency).toMatchObject({ mode: 'snapshot', paused_ms: expect.any(Number) });
    const logged = /"verb":"snapshot","result":"ok","backing":"btrfs","paused_ms":(\d+)/.exec(world.helper?.output() ?? '');
    expect(logged).not.toBeNull();
    const pausedMs = Number(logged?.[1]);
    console.log(`btrfs snapshot: guest paused ${pausedMs} ms (helper log), ${outcome.consistency?.paused_ms} ms (outcome)`);
    expect(pausedMs).toBeLessThan(1000);

    const subvolumes = await must('btrfs', ['subvolume', 'list', '-o', world.lxcpath]);
    expect(subvolumes).not.toContain('.lxc-backup-snapshots');
    expect(await readdir(join(world.lxcpath, '.lxc-backup-snapshots', NAME)).catch(() => [])).toEqual([]);

    const to = join(dir, 'restored');
    await restore(world, NAME, to);
    const src = join(world.lxcpath, NAME, 'rootfs/opt/fix');
    const got = join(to, 'rootfs/opt/fix');
    const before = await entries(src);
    const after = await entries(got);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [path, e] of before) {
      const a = after.get(path)!;
      expect({ path, mode: a.mode, owner: a.owner, type: a.type }).toEqual({ path, mode: e.mode, owner: e.owner, type: e.type });
      if (e.type !== 'l') expect({ path, mtime: a.mtimeSec }).toEqual({ path, mtime: e.mtimeSec });
    }
    expect(await xattrMap(got)).toEqual(await xattrMap(src));
    expect(linkGroups(after)).toEqual(linkGroups(before));
    expect(await run('getcap', ['rootfs/bin/ping'], got)).toBe('rootfs/bin/ping cap_net_raw=ep');
    expect(after.get('rootfs/sparse.img')!.blocks * 512).toBeLessThan(1 << 20);
  }, 600_000);
});
