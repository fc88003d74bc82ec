// Which signature files a discarded incremental leaves, and that on a file:// target only those
// are deleted, never one of a complete set and never through a link.
import { mkdir, readdir, symlink, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobContext } from '../../../agent/engine/job-context.js';
import { leftoverSignatures, removeLeftoverSignatures } from '../../../agent/engine/leftover-signatures.js';
import { makeTempDir, removeDir } from '../../support/temp.js';

const KEY = '20261201T004023Z.to.20261201T004026Z';
const OTHER = '20261201T000000Z.to.20261201T004023Z';
const FULL = ['duplicity-full.20261201T000000Z.manifest.gpg', 'duplicity-full-signatures.20261201T000000Z.sigtar.gpg'];
const sig = (key: string, ext = 'gpg') => `duplicity-new-signatures.${key}.sigtar.${ext}`;
const manifest = (key: string) => `duplicity-inc.${key}.manifest.gpg`;

describe('leftoverSignatures', () => {
  it.each(['gpg', 'gz'])('names the discarded set’s signatures (.sigtar.%s)', (ext) => {
    expect(leftoverSignatures([...FULL, sig(OTHER), manifest(OTHER), sig(KEY, ext)], [KEY])).toEqual([sig(KEY, ext)]);
  });

  it('keeps signatures whose set has a manifest, or whose set was not discarded', () => {
    expect(leftoverSignatures([...FULL, sig(KEY), manifest(KEY)], [KEY])).toEqual([]);
    expect(leftoverSignatures([...FULL, sig(OTHER)], [KEY])).toEqual([]);
    expect(leftoverSignatures([...FULL, `${sig(KEY)}.extra`], [KEY])).toEqual([]);
  });
});

describe('removeLeftoverSignatures on a file:// target', () => {
  let dir: string;
  const ctx = () => ({ container: { target: `file://${dir}` } }) as unknown as JobContext;
  beforeEach(async () => {
    dir = await makeTempDir('leftover');
  });
  afterEach(() => removeDir(dir));

  it('deletes only the leftover signature file', async () => {
    const kept = [...FULL, sig(OTHER), manifest(OTHER)];
    for (const name of [...kept, sig(KEY)]) await writeFile(join(dir, name), 'x');
    expect(await removeLeftoverSignatures(ctx(), [KEY])).toEqual([sig(KEY)]);
    expect((await readdir(dir)).sort()).toEqual([...kept].sort());
  });

  it('never deletes a set that has its manifest', async () => {
    for (const name of [sig(KEY), manifest(KEY)]) await writeFile(join(dir, name), 'x');
    expect(await removeLeftoverSignatures(ctx(), [KEY])).toEqual([]);
    expect(await readdir(dir)).toHaveLength(2);
  });

  it('refuses a symlink or a directory under that name', async () => {
    await writeFile(join(dir, 'real'), 'x');
    await symlink(join(dir, 'real'), join(dir, sig(KEY)));
    await expect(removeLeftoverSignatures(ctx(), [KEY])).rejects.toThrow(/expected a regular file/);
    expect(await readdir(dir)).toHaveLength(2);
    await unlink(join(dir, sig(KEY)));
    await mkdir(join(dir, sig(KEY, 'gz')));
    await expect(removeLeftoverSignatures(ctx(), [KEY])).rejects.toThrow(/expected a regular file/);
  });

  it('treats an absent target directory as holding nothing', async () => {
    const absent = { container: { target: `file://${join(dir, 'absent')}` } } as unknown as JobContext;
    expect(await removeLeftoverSignatures(absent, [KEY])).toEqual([]);
  });
});
