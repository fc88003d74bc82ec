import { describe, expect, it } from 'vitest';
import { describeContainer, isBackupContainer } from '../../../agent/discovery/container-info.js';
import { parseLxcConfig } from '../../../agent/discovery/lxc-config.js';
import { classifyRootfs } from '../../../agent/discovery/rootfs.js';

describe('parseLxcConfig', () => {
  it.each([
    [
      'lxc.rootfs.path = dir:/var/lib/lxc/web/rootfs\nlxc.uts.name = web',
      { rootfsPath: 'dir:/var/lib/lxc/web/rootfs', utsName: 'web', idmaps: [] },
    ],
    ['# comment\nlxc.rootfs = /srv/web\nlxc.utsname=old', { rootfsPath: '/srv/web', utsName: 'old', idmaps: [] }],
    [
      'lxc.idmap = u 0 100000 65536\nlxc.idmap = g  0 100000 65536\nlxc.id_map = u 1 2 3',
      { idmaps: ['u 0 100000 65536', 'g 0 100000 65536', 'u 1 2 3'] },
    ],
    ['garbage line\nlxc.net.0.type = veth\n', { idmaps: [] }],
    ['lxc.uts.name = a\nlxc.uts.name = b', { utsName: 'b', idmaps: [] }],
  ])('%j', (text, expected) => {
    expect(parseLxcConfig(text)).toEqual(expected);
  });
});

describe('classifyRootfs', () => {
  const root = '/mnt/lxc';
  const dir = '/mnt/lxc/web';
  it.each([
    [undefined, '/mnt/lxc/web/rootfs'],
    ['dir:/var/lib/lxc/web/rootfs', '/mnt/lxc/web/rootfs'],
    ['/var/lib/lxc/web/rootfs', '/mnt/lxc/web/rootfs'],
    ['/mnt/lxc/web/rootfs', '/mnt/lxc/web/rootfs'],
    ['dir:/mnt/lxc/web/other', '/mnt/lxc/web/other'],
  ])('%s is backed up from %s', (value, path) => {
    expect(classifyRootfs(value, 'web', dir, root)).toEqual({ supported: true, path });
  });
  it.each([
    ['lvm:/dev/vg0/web', /lvm backing store/],
    ['zfs:tank/lxc/web', /zfs backing store/],
    ['rbd:pool/web', /rbd backing store/],
    ['loop:/var/lib/lxc/web/rootdev', /loop backing store/],
    ['btrfs:/var/lib/lxc/web/rootfs', /btrfs backing store/],
    ['overlay:/a:/b', /overlay backing store/],
    ['/dev/sdb1', /block device/],
    ['/srv/containers/web-root', /outside host_root/],
    ['/mnt/lxc/other/rootfs', /outside the container directory/],
    ['relative/rootfs', /absolute/],
  ])('%s is unsupported', (value, reason) => {
    const result = classifyRootfs(value, 'web', dir, root);
    expect(result.supported).toBe(false);
    expect(result.supported ? '' : result.reason).toMatch(reason);
  });
});

describe('describeContainer / isBackupContainer', () => {
  it('records the uts name, id maps and rootfs', () => {
    const info = describeContainer('web', '/mnt/lxc', 'lxc.uts.name = web.example\nlxc.idmap = u 0 100000 65536\n');
    expect(info).toEqual({
      name: 'web',
      dir: '/mnt/lxc/web',
      utsName: 'web.example',
      idmaps: ['u 0 100000 65536'],
      rootfs: '/mnt/lxc/web/rootfs',
    });
  });
  it('recognises the backup container by name or uts name', () => {
    const byName = describeContainer('backup', '/mnt/lxc', '');
    const byUts = describeContainer('bk', '/mnt/lxc', 'lxc.uts.name = backup');
    const other = describeContainer('web', '/mnt/lxc', 'lxc.uts.name = web');
    expect(isBackupContainer(byName, 'backup')).toBe(true);
    expect(isBackupContainer(byUts, 'backup.lan')).toBe(true);
    expect(isBackupContainer(other, 'backup')).toBe(false);
  });
});
