import { describe, expect, it } from 'vitest';
import { rootfsSource, snapshotSupport } from '../../../agent/helper/backing.js';
import { snapshotPlan, zfsMountpointArgv } from '../../../agent/helper/snapshot-plans.js';

const exposed = '/var/lib/lxc/.lxc-backup-snapshots/web/rootfs';

describe('rootfsSource', () => {
  it('reads the last lxc.rootfs.path as a backing store', () => {
    expect(rootfsSource('lxc.rootfs.path = dir:/var/lib/lxc/web/rootfs\n')).toEqual({ backing: 'dir', source: '/var/lib/lxc/web/rootfs' });
    expect(rootfsSource('lxc.rootfs.path=/srv/web\n')).toEqual({ backing: 'dir', source: '/srv/web' });
    expect(rootfsSource('lxc.rootfs.path = dir:/a\nlxc.rootfs.path = btrfs:/b\n')).toEqual({ backing: 'btrfs', source: '/b' });
    expect(rootfsSource('lxc.rootfs.path = zfs:tank/lxc/web')).toEqual({ backing: 'zfs', source: 'tank/lxc/web' });
    expect(rootfsSource('lxc.rootfs.path = lvm:/dev/vg0/web')).toEqual({ backing: 'lvm', source: '/dev/vg0/web' });
    expect(rootfsSource('lxc.rootfs.path = overlay:/a:/b')?.backing).toBe('other');
    expect(rootfsSource('# lxc.rootfs.path = btrfs:/x\nlxc.uts.name = web')).toBeUndefined();
  });

  it('says why a dir rootfs cannot be snapshotted', () => {
    expect(snapshotSupport('btrfs')).toEqual({ snapshot: true });
    expect(snapshotSupport('dir')).toMatchObject({ snapshot: false, reason: expect.stringMatching(/plain directory/) });
  });
});

describe('snapshotPlan', () => {
  it('btrfs: a read-only snapshot while frozen, deleted on release', () => {
    expect(snapshotPlan({ backing: 'btrfs', source: '/var/lib/lxc/web/rootfs' }, { exposed, id: 'ab12' })).toEqual({
      frozen: [['btrfs', 'subvolume', 'snapshot', '-r', '/var/lib/lxc/web/rootfs', exposed]],
      expose: [],
      release: [['btrfs', 'subvolume', 'delete', exposed]],
    });
  });

  it('zfs: snapshot while frozen, read-only bind of .zfs/snapshot after, unmount and destroy on release', () => {
    expect(zfsMountpointArgv('tank/lxc/web')).toEqual(['zfs', 'get', '-H', '-o', 'value', 'mountpoint', 'tank/lxc/web']);
    expect(snapshotPlan({ backing: 'zfs', source: 'tank/lxc/web' }, { exposed, id: 'ab12', zfsMountpoint: '/tank/lxc/web' })).toEqual({
      frozen: [['zfs', 'snapshot', 'tank/lxc/web@lxc-backup-ab12']],
      expose: [['mount', '--bind', '-o', 'ro', '/tank/lxc/web/.zfs/snapshot/lxc-backup-ab12', exposed]],
      release: [
        ['umount', exposed],
        ['zfs', 'destroy', 'tank/lxc/web@lxc-backup-ab12'],
      ],
    });
  });

  it('lvm: a thin snapshot while frozen, activated and mounted read-only after, removed on release', () => {
    expect(snapshotPlan({ backing: 'lvm', source: '/dev/vg0/web' }, { exposed, id: 'ab12' })).toEqual({
      frozen: [['lvcreate', '-s', '-n', 'web-lxc-backup-ab12', 'vg0/web']],
      expose: [
        ['lvchange', '-ay', '-K', 'vg0/web-lxc-backup-ab12'],
        ['mount', '-o', 'ro', '/dev/vg0/web-lxc-backup-ab12', exposed],
      ],
      release: [
        ['umount', exposed],
        ['lvremove', '-f', 'vg0/web-lxc-backup-ab12'],
      ],
    });
  });

  it('refuses sources that could be read as options or are not names', () => {
    expect(() => snapshotPlan({ backing: 'zfs', source: '-r tank' }, { exposed, id: 'x', zfsMountpoint: '/t' })).toThrow(
      /expected a dataset name/,
    );
    expect(() => snapshotPlan({ backing: 'zfs', source: 'tank/web' }, { exposed, id: 'x', zfsMountpoint: 'legacy' })).toThrow(
      /absolute mountpoint/,
    );
    expect(() => snapshotPlan({ backing: 'lvm', source: '/dev/mapper/vg0-web/../x' }, { exposed, id: 'x' })).toThrow(
      /expected \/dev\/VG\/LV/,
    );
    expect(() => snapshotPlan({ backing: 'lvm', source: '/dev/vg0/-web' }, { exposed, id: 'x' })).toThrow(/expected \/dev\/VG\/LV/);
    expect(() => snapshotPlan({ backing: 'btrfs', source: 'rel/path' }, { exposed, id: 'x' })).toThrow(/absolute path/);
    expect(() => snapshotPlan({ backing: 'dir', source: '/a' }, { exposed, id: 'x' })).toThrow(/cannot be snapshotted/);
  });
});
