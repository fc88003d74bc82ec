// The power lines of an LXC config: agent/engine/config-power.ts (recorded at backup time) and
// config_power_lines in lxc/restore-checks.sh (run on the restored config by the host) must
// agree line for line, so one table drives both.
import { execa } from 'execa';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { extractPowerLines, isDistributionInclude } from '../../../agent/engine/config-power.js';
import { makeTempDir, removeDir } from '../../support/temp.js';

const REPO = join(import.meta.dirname, '..', '..', '..');

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir('config-power');
});
afterEach(async () => removeDir(dir));

async function awkPowerLines(text: string): Promise<string[]> {
  const file = join(dir, 'config');
  await writeFile(file, text);
  const script = 'source "$1/lxc/common.sh"; source "$1/lxc/restore-checks.sh"; config_power_lines "$2"';
  const result = await execa('bash', ['-c', script, 'test', REPO, file]);
  return result.stdout === '' ? [] : result.stdout.split('\n');
}

// [config text, the power lines expected]
const TABLE: Array<[string, string[]]> = [
  ['lxc.uts.name = web\nlxc.rootfs.path = dir:/var/lib/lxc/web/rootfs\nlxc.net.0.type = veth\nlxc.net.0.hwaddr = 00:16:3e:00:00:01', []],
  ['lxc.include = /usr/share/lxc/config/common.conf\nlxc.include=/usr/share/lxc/config/common.conf.d/', []],
  ['lxc.include = /usr/share/lxc/config/../../../../etc/evil.conf', ['lxc.include = /usr/share/lxc/config/../../../../etc/evil.conf']],
  ['lxc.include = /var/lib/lxc/web/rootfs/etc/x.conf', ['lxc.include = /var/lib/lxc/web/rootfs/etc/x.conf']],
  ['lxc.include = /usr/share/lxc/configs/x.conf', ['lxc.include = /usr/share/lxc/configs/x.conf']],
  ['lxc.hook.pre-start = /bin/sh -c "touch /pwned"', ['lxc.hook.pre-start = /bin/sh -c "touch /pwned"']],
  ['  lxc.hook.start-host=/x  \t\r', ['lxc.hook.start-host = /x']],
  [
    'lxc.hook.version = 1\nlxc.hook.autodev = /a\nlxc.hook.mount = /m',
    ['lxc.hook.version = 1', 'lxc.hook.autodev = /a', 'lxc.hook.mount = /m'],
  ],
  ['# lxc.hook.pre-start = /commented\n   # lxc.cap.keep = sys_admin', []],
  [
    'lxc.mount.entry = /etc etc none bind 0 0\nlxc.mount.auto = proc:rw sys:rw cgroup:rw\nlxc.mount.fstab = /f\nlxc.mount = /legacy.fstab',
    [
      'lxc.mount.entry = /etc etc none bind 0 0',
      'lxc.mount.auto = proc:rw sys:rw cgroup:rw',
      'lxc.mount.fstab = /f',
      'lxc.mount = /legacy.fstab',
    ],
  ],
  ['lxc.cap.drop =\nlxc.cap.keep = sys_admin', ['lxc.cap.drop = ', 'lxc.cap.keep = sys_admin']],
  [
    'lxc.apparmor.profile = unconfined\nlxc.aa_profile = unconfined\nlxc.aa_allow_incomplete = 1\nlxc.apparmor.allow_nesting = 1',
    ['lxc.apparmor.profile = unconfined', 'lxc.aa_profile = unconfined', 'lxc.aa_allow_incomplete = 1', 'lxc.apparmor.allow_nesting = 1'],
  ],
  [
    'lxc.seccomp.profile = \nlxc.seccomp = /legacy\nlxc.selinux.context = x\nlxc.se_context = y',
    ['lxc.seccomp.profile = ', 'lxc.seccomp = /legacy', 'lxc.selinux.context = x', 'lxc.se_context = y'],
  ],
  ['lxc.idmap = u 0 100000 65536\nlxc.id_map = g 0 100000 65536', ['lxc.idmap = u 0 100000 65536', 'lxc.id_map = g 0 100000 65536']],
  [
    'lxc.cgroup.devices.allow = a\nlxc.cgroup2.devices.allow = b 8:* rwm\nlxc.cgroup.memory.limit_in_bytes = 1G',
    ['lxc.cgroup.devices.allow = a', 'lxc.cgroup2.devices.allow = b 8:* rwm'],
  ],
  ['lxc.prlimit.nofile = unlimited\nlxc.limit.nproc = 1', ['lxc.prlimit.nofile = unlimited', 'lxc.limit.nproc = 1']],
  [
    'lxc.environment = LD_PRELOAD=/x.so\nlxc.namespace.keep = net user',
    ['lxc.environment = LD_PRELOAD=/x.so', 'lxc.namespace.keep = net user'],
  ],
  [
    'lxc.net.0.script.up = /up\nlxc.network.script.down = /down\nlxc.net.1.link = br0',
    ['lxc.net.0.script.up = /up', 'lxc.network.script.down = /down'],
  ],
  [
    'lxc.log.file = /etc/shadow\nlxc.console.logfile = /root/x\nlxc.console.path = /dev/tty1\nlxc.log.level = 1',
    ['lxc.log.file = /etc/shadow', 'lxc.console.logfile = /root/x', 'lxc.console.path = /dev/tty1'],
  ],
  ['no equals sign lxc.hook.pre-start\n= lxc.hook.pre-start\nLXC.HOOK.PRE-START = /x', []],
  ['lxc.hook.pre-start = /a = b  c\x1b[2J', ['lxc.hook.pre-start = /a = b  c\x1b[2J']],
  ['lxc.hookx = 1\nlxc.mountx = 2\nlxc.capx.drop = 3', []],
];

describe('config power lines: TypeScript and awk agree', () => {
  it.each(TABLE)('%j', async (text, expected) => {
    expect(extractPowerLines(text)).toEqual(expected);
    expect(await awkPowerLines(`${text}\n`)).toEqual(expected);
  });

  it('agree on a config without a final newline and with a non-ASCII value', async () => {
    const text = 'lxc.mount.entry = /srv/dätä srv none bind 0 0';
    expect(extractPowerLines(text)).toEqual([text]);
    expect(await awkPowerLines(text)).toEqual([text]);
  });
});

describe('isDistributionInclude', () => {
  it.each([
    ['/usr/share/lxc/config/common.conf', true],
    ['/usr/share/lxc/config/common.conf.d/', true],
    ['/usr/share/lxc/config/./x', false],
    ['/usr/share/lxc/config/a/../../../../etc/passwd', false],
    ['usr/share/lxc/config/x', false],
    ['/usr/share/lxc/config', false],
  ])('%s -> %s', (path, expected) => {
    expect(isDistributionInclude(path)).toBe(expected);
  });
});
