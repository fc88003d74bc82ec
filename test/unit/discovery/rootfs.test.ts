// Which rootfs settings discovery can back up, and where under host_root each one lives.
import { describe, expect, it } from 'vitest';
import { classifyRootfs } from '../../../agent/discovery/rootfs.js';

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
    ['btrfs:/var/lib/lxc/web/rootfs', 'btrfs'],
    ['zfs:tank/lxc/web', 'zfs'],
    ['lvm:/dev/vg0/web', 'lvm'],
  ])('%s is backed up from the rootfs directory, backing %s', (value, backing) => {
    expect(classifyRootfs(value, 'web', dir, root)).toEqual({ supported: true, path: '/mnt/lxc/web/rootfs', backing });
  });
  it('a btrfs rootfs outside the container directory is still refused', () => {
    expect(classifyRootfs('btrfs:/mnt/lxc/other/rootfs', 'web', dir, root)).toMatchObject({ supported: false });
  });
  it.each([
    ['rbd:pool/web', /rbd backing store/],
    ['loop:/var/lib/lxc/web/rootdev', /loop backing store/],
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
