// The LXC config of a boot-test container, written by the helper itself: never the restored
// config, which is hostile. No network, LXC's common settings, and unprivileged: the restored
// rootfs is mounted idmapped (files owned by 0 look owned by the container's root, who is
// `idmapBase` on the host), so a hostile tree's root is nobody on the host.

// What the config names.
export interface BootConfigInput {
  name: string;
  rootfs: string;
  idmapBase: number;
}

// LXC's distribution-independent defaults (capabilities dropped, seccomp, device cgroup),
// and those of an unprivileged container.
export const COMMON_CONF = '/usr/share/lxc/config/common.conf';
export const USERNS_CONF = '/usr/share/lxc/config/userns.conf';

// The config text; `name` and `rootfs` are the helper's own (random name, its own directory).
export function bootConfig(input: BootConfigInput): string {
  return [
    '# Written by lxc-backup-helper for a boot test; removed with the container.',
    `lxc.include = ${COMMON_CONF}`,
    `lxc.include = ${USERNS_CONF}`,
    `lxc.uts.name = ${input.name}`,
    `lxc.rootfs.path = dir:${input.rootfs}`,
    'lxc.rootfs.options = idmap=container',
    `lxc.idmap = u 0 ${input.idmapBase} 65536`,
    `lxc.idmap = g 0 ${input.idmapBase} 65536`,
    'lxc.net.0.type = empty',
    'lxc.autodev = 1',
    'lxc.start.auto = 0',
    '',
  ].join('\n');
}
