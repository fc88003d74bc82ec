// Discovery against hostile shapes under host_root (issue 12, finding 5 and 9): each odd entry
// makes only its own container unsupported, the scan never blocks on a FIFO or reads /dev/zero.
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readContainer, scanHostRoot } from '../../agent/discovery/scan.js';
import { HOSTILE, makeHostileRoot } from '../support/hostile-root.js';
import { makeTempDir, removeDir } from '../support/temp.js';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir('discovery-hostile');
});
afterEach(async () => {
  await removeDir(dir);
});

describe('scanHostRoot with hostile entries', () => {
  it('returns fast; the good container is normal, each hostile one unsupported with its reason', async () => {
    await makeHostileRoot(dir);
    const started = Date.now();
    const found = await scanHostRoot(dir);
    expect(Date.now() - started).toBeLessThan(2000);
    const byName = new Map(found.map((info) => [info.name, info]));
    expect(byName.get('good')).toEqual({
      name: 'good',
      dir: join(dir, 'good'),
      utsName: 'good',
      idmaps: [],
      rootfs: join(dir, 'good', 'rootfs'),
    });
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

  it("keeps the agent's file-system threads free while FIFO configs sit there", async () => {
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
