import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeScratch } from '../../../../agent/engine/drill/scratch.js';
import { makeTempDir, removeDir } from '../../../support/temp.js';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir('drill-scratch');
});
afterEach(async () => removeDir(dir));

describe('drill scratch', () => {
  it("makes this process's directory and removes those of dead processes, never a live one's", async () => {
    // pid 2^22 + 1 is above the kernel's pid_max: never alive.
    const dead = join(dir, `db.drill.${2 ** 22 + 1}`);
    const live = join(dir, `web.drill.${process.ppid}`);
    for (const d of [dead, live]) {
      await mkdir(join(d, 'tree'), { recursive: true });
      await writeFile(join(d, 'tree', 'f'), 'x');
    }
    await writeFile(join(dir, 'unrelated'), 'x');
    const scratch = await makeScratch(dir, 'web');
    expect(scratch.relative).toBe(`web.drill.${process.pid}`);
    expect((await readdir(dir)).sort()).toEqual(['unrelated', `web.drill.${process.pid}`, `web.drill.${process.ppid}`].sort());
    expect(await readdir(scratch.dir)).toEqual([]);
  });
});
