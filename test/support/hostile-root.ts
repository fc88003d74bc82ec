// A host_root with one good container next to every hostile shape of issue 12 (findings 5
// and 9), shared by the discovery and agent tests.
import { execFileSync } from 'node:child_process';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const GOOD_CONFIG = 'lxc.rootfs.path = dir:/var/lib/lxc/good/rootfs\nlxc.uts.name = good\n';

// Each builder makes host_root/NAME in its odd shape; `reason` is what status must say.
export const HOSTILE: Array<{ name: string; make(root: string, name: string): Promise<void>; reason: RegExp }> = [
  {
    name: 'fifo',
    make: async (root, name) => void execFileSync('mkfifo', [join(root, name, 'config')]),
    reason: /config is a FIFO: expected a regular file/,
  },
  {
    name: 'zero',
    make: (root, name) => symlink('/dev/zero', join(root, name, 'config')),
    reason: /config is a symlink: expected a regular file/,
  },
  {
    name: 'huge',
    make: (root, name) => writeFile(join(root, name, 'config'), Buffer.alloc(2 * 1024 * 1024, 0x61)),
    reason: /config is 2097152 bytes: expected a config of at most 1048576 bytes/,
  },
  { name: 'dirconfig', make: (root, name) => mkdir(join(root, name, 'config')), reason: /config is a directory: expected a regular file/ },
  {
    name: 'star*',
    make: (root, name) => writeFile(join(root, name, 'config'), GOOD_CONFIG),
    reason: /container name "star\*" is not supported: expected letters, digits/,
  },
  {
    name: 'new\nline',
    make: (root, name) => writeFile(join(root, name, 'config'), GOOD_CONFIG),
    reason: /container name "new\\nline" is not supported/,
  },
  {
    name: 'esc\x1b[31m',
    make: (root, name) => writeFile(join(root, name, 'config'), GOOD_CONFIG),
    reason: /container name "esc\\x1b\[31m" is not supported/,
  },
  {
    name: 'brace{name}',
    make: (root, name) => writeFile(join(root, name, 'config'), GOOD_CONFIG),
    reason: /container name "brace\{name\}" is not supported/,
  },
];

// Makes `root`/good (with a rootfs holding one file), every HOSTILE entry and `linked` -> good.
// A host_root holding a good container next to every hostile one, and a symlink to the good one.
export async function makeHostileRoot(root: string): Promise<void> {
  await mkdir(join(root, 'good', 'rootfs', 'etc'), { recursive: true });
  await writeFile(join(root, 'good', 'rootfs', 'etc', 'hostname'), 'good\n');
  await writeFile(join(root, 'good', 'config'), GOOD_CONFIG);
  for (const { name, make } of HOSTILE) {
    await mkdir(join(root, name));
    await make(root, name);
  }
  await symlink(join(root, 'good'), join(root, 'linked'));
}
