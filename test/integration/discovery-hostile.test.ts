// Discovery against hostile shapes under host_root (issue 12, finding 5 and 9): each odd entry
// makes only its own container unsupported, the scan never blocks on a FIFO or reads /dev/zero.
import { execFileSync } from 'node:child_process';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readContainer, scanHostRoot } from '../../agent/discovery/scan.js';
import { makeTempDir, removeDir } from '../support/temp.js';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir('discovery-hostile');
});
afterEach(async () => {
  await removeDir(dir);
});

const GOOD_CONFIG = 'lxc.rootfs.path = dir:/var/lib/lxc/good/rootfs\nlxc.uts.name = good\n';

// Each builder makes host_root/NAME in its odd shape; `reason` is what status must say.
const HOSTILE: Array<{ name: string; make(root: string, name: string): Promise<void>; reason: RegExp }> = [
  { name: 'fifo', make: async (root, name) => void execFileSync('mkfifo', [join(root, name, 'config')]), reason: /config is a FIFO: expected a regular file/ },
  { name: 'zero', make: (root, name) => symlink('/dev/zero', join(root, name, 'config')), reason: /config is a symlink: expected a regular file/ },
  { name: 'huge', make: (root, name) => writeFile(join(root, name, 'config'), Buffer.alloc(2 * 1024 * 1024, 0x61)), reason: /config is 2097152 bytes: expected a config of at most 1048576 bytes/ },
  { name: 'dirconfig', make: (root, name) => mkdir(join(root, name, 'config')), reason: /config is a directory: expected a regular file/ },
  { name: 'star*', make: (root, name) => writeFile(join(root, name, 'config'), GOOD_CONFIG), reason: /container name "star\*" is not supported: expected letters, digits/ },
  { name: 'new\nline', make: (root, name) => writeFile(join(root, name, 'config'), GOOD_CONFIG), reason: /container name "new\\nline" is not supported/ },
  { name: 'esc\x1b[31m', make: (root, name) => writeFile(join(root, name, 'config'), GOOD_CONFIG), reason: /container name "esc\\x1b\[31m" is not supported/ },
  { name: 'brace{name}', make: (root, name) => writeFile(join(root, name, 'config'), GOOD_CONFIG), reason: /container name "brace\{name\}" is not supported/ },
];

// A host_root holding a good container next to every hostile one, and a symlink to the good one.
export async function makeHostileRoot(root: string): Promise<void> {
  await mkdir(join(root, 'good', 'rootfs'), { recursive: true });
  await writeFile(join(root, 'good', 'config'), GOOD_CONFIG);
  for (const { name, make } of HOSTILE) {
    await mkdir(join(root, name));
    await make(root, name);
  }
  await symlink(join(root, 'good'), join(root, 'linked'));
}

describe('scanHostRoot with hostile entries', () => {
  it('returns fast; the good container is normal, each hostile one unsupported with its reason', async () => {
    await makeHostileRoot(dir);
    const started = Date.now();
    const found = await scanHostRoot(dir);
    expect(Date.now() - started).toBeLessThan(2000);
    const byName = new Map(found.map((info) => [info.name, info]));
    expect(byName.get('good')).toEqual({ name: 'good', dir: join(dir, 'good'), utsName: 'good', idmaps: [], rootfs: join(dir, 'good', 'rootfs') });
    // A symlink to a container directory is not a container.
    expect(byName.has('linked')).toBe(false);
    for (const { name, reason } of HOSTILE) {
      expect(byName.get(name)?.unsupported, name).toMatch(reason);
      expect(byName.get(name)?.rootfs, name).toBeUndefined();
    }
    expect(found).toHaveLength(HOSTILE.length + 1);
  });

  it('readContainer refuses a container directory that is a symlink, and a missing config', async () => {
    await makeHostileRoot(dir);
    await mkdir(join(dir, 'empty'));
    expect(await readContainer(dir, 'linked')).toBeUndefined();
    expect(await readContainer(dir, 'empty')).toBeUndefined();
    expect(await readContainer(dir, 'absent')).toBeUndefined();
    expect((await readContainer(dir, 'good'))?.unsupported).toBeUndefined();
  });

  it('keeps the agent\'s file-system threads free while FIFO configs sit there', async () => {
    for (let i = 0; i < 8; i += 1) {
      await mkdir(join(dir, `fifo${i}`));
      execFileSync('mkfifo', [join(dir, `fifo${i}`, 'config')]);
    }
    for (let round = 0; round < 3; round += 1) await scanHostRoot(dir);
    // With a blocked open per FIFO, libuv's four threads would be stuck and this would hang.
    const started = Date.now();
    await writeFile(join(dir, 'probe'), 'x');
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
