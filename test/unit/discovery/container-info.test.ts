// What discovery records about a container from its config, and whether it is the backup container itself.
import { describe, expect, it } from 'vitest';
import { describeContainer, isBackupContainer } from '../../../agent/discovery/container-info.js';

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
