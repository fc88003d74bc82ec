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
