// The LXC config of a boot-test container, written by the helper itself: never the restored
// config, which is hostile. No network, LXC's common settings, the restored rootfs.

// What the config names.
export interface BootConfigInput {
  name: string;
  rootfs: string;
}

// LXC's distribution-independent defaults (capabilities dropped, seccomp, device cgroup).
export const COMMON_CONF = '/usr/share/lxc/config/common.conf';

// The config text; `name` and `rootfs` are the helper's own (random name, its own directory).
export function bootConfig(input: BootConfigInput): string {
  return [
    '# Written by lxc-backup-helper for a boot test; removed with the container.',
    `lxc.include = ${COMMON_CONF}`,
    `lxc.uts.name = ${input.name}`,
    `lxc.rootfs.path = dir:${input.rootfs}`,
    'lxc.net.0.type = empty',
    'lxc.autodev = 1',
    'lxc.start.auto = 0',
    '',
  ].join('\n');
}
