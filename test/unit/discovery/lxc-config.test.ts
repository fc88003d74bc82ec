// The keys discovery reads from an LXC config: rootfs path, uts name and id maps, in old and new spellings.
import { describe, expect, it } from 'vitest';
import { parseLxcConfig } from '../../../agent/discovery/lxc-config.js';

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
