// The sample opener: each directory once, never a symlink on the way, no fd left behind.
import { closeSync, readdirSync, readSync } from 'node:fs';
import { mkdir, rename, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSampleOpener } from '../../../../agent/engine/drill/sample-opener.js';
import { makeTempDir, removeDir } from '../../../support/temp.js';

let dir: string;
let root: string;
beforeEach(async () => {
  dir = await makeTempDir('sample-opener');
  root = join(dir, 'root');
  await mkdir(join(root, 'a', 'b'), { recursive: true });
  await mkdir(join(root, 'a', 'c'));
  await mkdir(join(dir, 'outside'));
  for (const name of ['a/b/f', 'a/b/g', 'a/c/h', 'z']) await writeFile(join(root, name), `inside ${name}`);
  await writeFile(join(dir, 'outside', 'f'), 'outside');
  await symlink(join(dir, 'outside'), join(root, 'a', 'link-dir'));
  await symlink(join(dir, 'outside', 'f'), join(root, 'a', 'link-file'));
});
afterEach(async () => removeDir(dir));

const openFds = (): number => readdirSync('/proc/self/fd').length;

function readAll(fd: number): string {
  const buffer = Buffer.alloc(256);
  const n = readSync(fd, buffer, 0, buffer.length, 0);
  closeSync(fd);
  return buffer.subarray(0, n).toString();
}

describe('sample opener', () => {
  it('opens files below the root, keeping only the directories of the last path', () => {
    const opener = createSampleOpener(root);
    expect(readAll(opener.openFile(Buffer.from('a/b/f')))).toBe('inside a/b/f');
    expect(opener.held()).toBe(3);
    expect(readAll(opener.openFile(Buffer.from('a/b/g')))).toBe('inside a/b/g');
    expect(opener.held()).toBe(3);
    expect(readAll(opener.openFile(Buffer.from('a//c/h')))).toBe('inside a/c/h');
    expect(opener.held()).toBe(3);
    expect(readAll(opener.openFile(Buffer.from('z')))).toBe('inside z');
    expect(opener.held()).toBe(1);
    opener.close();
    expect(opener.held()).toBe(0);
  });

  it('reuses a held directory instead of looking its path up again', async () => {
    const opener = createSampleOpener(root);
    closeSync(opener.openFile(Buffer.from('a/b/f')));
    // Moved away and replaced by a symlink: the held fd still reaches the moved directory,
    // which is inside the tree; a fresh lookup is refused.
    await rename(join(root, 'a', 'b'), join(root, 'moved'));
    await symlink(join(dir, 'outside'), join(root, 'a', 'b'));
    expect(readAll(opener.openFile(Buffer.from('a/b/g')))).toBe('inside a/b/g');
    expect(() => createSampleOpener(root).openFile(Buffer.from('a/b/f'))).toThrow(/ENOTDIR|ELOOP/);
    opener.close();
  });

  it('never follows a symlink, as a directory on the way or as the file', () => {
    const opener = createSampleOpener(root);
    expect(() => opener.openFile(Buffer.from('a/link-dir/f'))).toThrow(/ENOTDIR|ELOOP/);
    expect(() => opener.openFile(Buffer.from('a/link-file'))).toThrow(/ELOOP/);
    expect(() => opener.openFile(Buffer.from('a/link-dir/../b/f'))).toThrow(/no \. or \.\./);
    opener.close();
  });

  it('refuses . and .. components and an empty path', () => {
    const opener = createSampleOpener(root);
    expect(() => opener.openFile(Buffer.from('a/../../outside/f'))).toThrow(/no \. or \.\./);
    expect(() => opener.openFile(Buffer.from('./z'))).toThrow(/no \. or \.\./);
    expect(() => opener.openFile(Buffer.from(''))).toThrow(/empty/);
    opener.close();
  });

  it('leaves no fd open, after files found, refused and missing', () => {
    const before = openFds();
    const opener = createSampleOpener(root);
    for (const path of ['a/b/f', 'a/b/missing', 'a/link-dir/f', 'a/c/h', 'a/nope/x', 'z', 'a/link-file']) {
      try {
        closeSync(opener.openFile(Buffer.from(path)));
      } catch {
        // Refused or missing: what matters here is the count afterwards.
      }
    }
    expect(openFds()).toBe(before + opener.held());
    opener.close();
    expect(openFds()).toBe(before);
  });

  it('holds at most `cap` directories and opens deeper ones one at a time', async () => {
    const deep = 'd1/d2/d3/d4/d5/d6';
    await mkdir(join(root, deep), { recursive: true });
    await writeFile(join(root, deep, 'f'), 'deep');
    const before = openFds();
    const opener = createSampleOpener(root, 3);
    expect(readAll(opener.openFile(Buffer.from(`${deep}/f`)))).toBe('deep');
    expect(opener.held()).toBe(3);
    expect(openFds()).toBe(before + 3);
    opener.close();
    expect(openFds()).toBe(before);
  });
});
