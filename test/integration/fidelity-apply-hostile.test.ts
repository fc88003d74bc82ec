// apply.py against metadata that names paths a guest has made dangerous: `..`, symlinked
// directories on the way, a FIFO where a regular file was, a final symlink. Nothing outside
// the restored directory may change, and every such entry is counted as skipped.
import { execa } from 'execa';
import { lstat, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyMetadata } from '../../agent/engine/fidelity/apply.js';
import { makeTempDir, removeDir } from '../support/temp.js';

let work: string;
let restored: string;
let meta: string;
let outside: string;

const nul = (...entries: string[]): Buffer => Buffer.from(entries.map((e) => `${e}\0`).join(''));

beforeEach(async () => {
  work = await makeTempDir('apply-hostile');
  restored = join(work, 'restored');
  meta = join(work, 'meta');
  outside = join(work, 'outside');
  await mkdir(join(restored, 'rootfs/a'), { recursive: true });
  await mkdir(meta);
  await mkdir(outside);
  await writeFile(join(outside, 'f'), 'outside\n');
  await writeFile(join(restored, 'rootfs/a/f'), 'inside\n');
  await writeFile(join(restored, 'rootfs/a/g'), 'inside\n');
  await symlink(outside, join(restored, 'rootfs/l'));
  await symlink(join(outside, 'f'), join(restored, 'rootfs/final-link'));
  await execa('mkfifo', [join(restored, 'rootfs/a/fifo')]);
  await writeFile(join(meta, 'hardlinks.nul'), Buffer.alloc(0));
  await writeFile(join(meta, 'sparse.nul'), Buffer.alloc(0));
  await writeFile(join(meta, 'xattrs.dump'), '');
});
afterEach(async () => removeDir(work));

async function outsideState(): Promise<string> {
  const info = await lstat(join(outside, 'f'));
  const xattrs = (await execa('getfattr', ['-d', '-m', '-', join(outside, 'f')])).stdout;
  return JSON.stringify([await readFile(join(outside, 'f'), 'utf8'), info.ino, info.nlink, info.mtimeMs, xattrs]);
}

describe('apply.py with hostile paths', () => {
  it('skips hard links through a symlinked directory or with `..`, and links the rest', async () => {
    await writeFile(
      join(meta, 'hardlinks.nul'),
      Buffer.concat([nul('rootfs/l/f', 'rootfs/a/f', ''), nul('rootfs/a/f', 'rootfs/../outside/f', 'rootfs/a/g', '')]),
    );
    const before = await outsideState();
    const summary = await applyMetadata(restored, meta);
    expect(summary).toEqual({ linked: 1, sparse: 0, xattrFiles: 0, skipped: 2 });
    expect(await outsideState()).toBe(before);
    expect((await lstat(join(restored, 'rootfs/a/f'))).ino).toBe((await lstat(join(restored, 'rootfs/a/g'))).ino);
  });

  it('skips a sparse entry that is now a FIFO or lies behind a symlink, without blocking', async () => {
    await writeFile(join(meta, 'sparse.nul'), nul('1600000000.0', 'rootfs/a/fifo', '1600000000.0', 'rootfs/l/f'));
    const before = await outsideState();
    expect(await applyMetadata(restored, meta)).toEqual({ linked: 0, sparse: 0, xattrFiles: 0, skipped: 2 });
    expect(await outsideState()).toBe(before);
  });

  it('sets xattrs on a final symlink itself, never its target, and skips paths through one', async () => {
    const dump = [
      '# file: rootfs/final-link',
      'trusted.on-link=0x7965',
      '',
      '# file: rootfs/l/f',
      'user.evil=0x31',
      '',
      '# file: rootfs/a/f',
      'user.ok=0x32',
      '',
    ].join('\n');
    await writeFile(join(meta, 'xattrs.dump'), dump);
    const before = await outsideState();
    expect(await applyMetadata(restored, meta)).toEqual({ linked: 0, sparse: 0, xattrFiles: 2, skipped: 1 });
    expect(await outsideState()).toBe(before);
    const onLink = await execa('getfattr', ['-h', '-d', '-m', 'trusted', join(restored, 'rootfs/final-link')]);
    expect(onLink.stdout).toContain('trusted.on-link="ye"');
    expect((await execa('getfattr', ['-d', '-m', 'user', join(restored, 'rootfs/a/f')])).stdout).toContain('user.ok="2"');
  });
});
