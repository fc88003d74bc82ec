import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openBeneath } from '../../../../agent/engine/drill/open-beneath.js';
import { makeTempDir, removeDir } from '../../../support/temp.js';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir('open-beneath');
  await mkdir(join(dir, 'root', 'a', 'b'), { recursive: true });
  await mkdir(join(dir, 'outside'));
  await writeFile(join(dir, 'root', 'a', 'b', 'f'), 'inside');
  await writeFile(join(dir, 'outside', 'f'), 'outside');
  await symlink(join(dir, 'outside'), join(dir, 'root', 'a', 'link-dir'));
  await symlink(join(dir, 'outside', 'f'), join(dir, 'root', 'a', 'link-file'));
});
afterEach(async () => removeDir(dir));

describe('openBeneath', () => {
  it('opens a file below the root', async () => {
    const handle = await openBeneath(join(dir, 'root'), Buffer.from('a/b/f'));
    expect((await handle.readFile()).toString()).toBe('inside');
    await handle.close();
  });

  it('never follows a symlink, as a directory on the way or as the file', async () => {
    await expect(openBeneath(join(dir, 'root'), Buffer.from('a/link-dir/f'))).rejects.toThrow(/ENOTDIR|ELOOP/);
    await expect(openBeneath(join(dir, 'root'), Buffer.from('a/link-file'))).rejects.toThrow(/ELOOP/);
  });

  it('refuses . and .. components and an empty path', async () => {
    await expect(openBeneath(join(dir, 'root'), Buffer.from('a/../../outside/f'))).rejects.toThrow(/no \. or \.\./);
    await expect(openBeneath(join(dir, 'root'), Buffer.from(''))).rejects.toThrow(/empty/);
  });
});
