import { describe, expect, it } from 'vitest';
import { bootConfig } from '../../../agent/helper/boot-config.js';

describe('bootConfig', () => {
  it('writes an unprivileged, network-less container on an idmapped rootfs', () => {
    const text = bootConfig({ name: 'lxc-backup-boot-ab12', rootfs: '/var/lib/lxc-backup-helper/boot/x/rootfs', idmapBase: 1_000_000_000 });
    expect(text.split('\n').filter((line) => line && !line.startsWith('#'))).toEqual([
      'lxc.include = /usr/share/lxc/config/common.conf',
      'lxc.include = /usr/share/lxc/config/userns.conf',
      'lxc.uts.name = lxc-backup-boot-ab12',
      'lxc.rootfs.path = dir:/var/lib/lxc-backup-helper/boot/x/rootfs',
      'lxc.rootfs.options = idmap=container',
      'lxc.idmap = u 0 1000000000 65536',
      'lxc.idmap = g 0 1000000000 65536',
      'lxc.net.0.type = empty',
      'lxc.autodev = 1',
      'lxc.start.auto = 0',
    ]);
  });
});
