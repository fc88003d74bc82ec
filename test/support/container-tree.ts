// A container directory with every kind of file a restore must bring back, and a manifest
// of a tree that two trees can be compared by (type, mode, owners, mtime seconds, content,
// link targets, device numbers, xattrs incl. ACLs and capabilities, hard-link groups, holes).
import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildFixture, entries, linkGroups, xattrMap } from './fidelity-tree.js';

// Builds the fidelity fixture plus devices, a fifo, a dangling symlink and a file larger
// than a 1 MB duplicity volume.
export async function buildContainerTree(dir: string, outside: string): Promise<void> {
  await buildFixture(dir, outside);
  const r = (p: string): string => join(dir, 'rootfs', p);
  await mkdir(r('dev'), { recursive: true });
  await execa('mknod', [r('dev/null'), 'c', '1', '3']);
  await execa('mknod', [r('dev/loop9'), 'b', '7', '9']);
  await execa('mkfifo', [r('dev/fifo')]);
  await symlink('/nonexistent/target', r('etc/dangling'));
  await symlink('../etc/owned', r('bin/relative-link'));
  await mkdir(r('var/lib/data'), { recursive: true });
  await writeFile(r('var/lib/data/big.bin'), randomBytes(3 * 1024 * 1024 + 17));
  await execa('chown', ['-h', '100000:100000', r('var/lib/data'), r('var/lib/data/big.bin'), r('bin/relative-link')]);
  await mkdir(r('tmp'), { recursive: true });
  await writeFile(r('tmp/excluded-by-policy'), 'should not be backed up\n');
  await execa('find', [dir, '-exec', 'touch', '-h', '-d', '@1600000000.5', '{}', '+']);
}

// Everything about a tree a faithful restore must reproduce, as comparable text lines.
export async function treeManifest(dir: string): Promise<string[]> {
  const { stdout } = await execa('find', ['.', '-mindepth', '1', '-printf', '%y %m %U:%G %s %P\\0%l\\0'], {
    cwd: dir,
    stripFinalNewline: false,
  });
  const fields = stdout.split('\0');
  const lines: string[] = [];
  const map = await entries(dir);
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const [type, mode, owner, size, ...rest] = fields[i]!.split(' ');
    const path = rest.join(' ');
    const linkTarget = fields[i + 1]!;
    const entry = map.get(path);
    // Symlink mtimes are not restored by duplicity and nothing depends on them.
    const mtime = type === 'l' ? '' : entry?.mtimeSec;
    const sparse = type === 'f' && entry ? (entry.blocks * 512 + 4096 < Number(size) ? 'sparse' : 'dense') : '';
    let content = '';
    if (type === 'f') content = (await execa('sha256sum', ['--', path], { cwd: dir })).stdout.split(' ')[0]!;
    if (type === 'c' || type === 'b') content = (await execa('stat', ['-c', '%t:%T', '--', path], { cwd: dir })).stdout;
    lines.push(JSON.stringify([path, type, mode, owner, type === 'd' ? '' : size, mtime, content, linkTarget, sparse]));
  }
  for (const [path, attrs] of await xattrMap(dir)) lines.push(JSON.stringify(['xattr', path, attrs]));
  for (const group of linkGroups(map)) lines.push(JSON.stringify(['hardlinks', group]));
  return lines.sort();
}
