// What the e2e suite puts into a workload container's rootfs, and how it compares a
// restored rootfs with the original (ignoring what the policy excludes).
import { execa } from 'execa';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { treeManifest } from '../support/container-tree.js';

// Paths (relative to the rootfs) the policy keeps out of the backup in these tests: the
// template's defaults plus the one the policy-edit test adds.
export const EXCLUDED = ['tmp', 'proc', 'run', 'mnt', 'media', 'root/.cache/duplicity', 'var/cache/apt', 'srv/skip-me'];

// Files with the metadata a restore must bring back: foreign owners, odd modes, user and
// trusted xattrs, an ACL, a file capability, a hard-link pair; plus srv/skip-me to exclude later.
export async function addFidelityFiles(rootfs: string): Promise<void> {
  const r = (p: string): string => join(rootfs, p);
  const run = async (file: string, args: string[]): Promise<void> => {
    await execa(file, args, { stdin: 'ignore' });
  };
  await mkdir(r('srv/data/sticky'), { recursive: true });
  await mkdir(r('srv/skip-me'), { recursive: true });
  await writeFile(r('srv/data/owned.txt'), 'owned by 1234:5678\n');
  await run('chown', ['1234:5678', r('srv/data/owned.txt')]);
  await run('chmod', ['0640', r('srv/data/owned.txt')]);
  await run('setfattr', ['-n', 'user.lxcb', '-v', 'hello', r('srv/data/owned.txt')]);
  await run('setfattr', ['-n', 'trusted.lxcb', '-v', '0x00ff', r('srv/data/owned.txt')]);
  await writeFile(r('srv/data/acl.txt'), 'acl\n');
  await run('setfacl', ['-m', 'u:1001:rw,g:2002:r', r('srv/data/acl.txt')]);
  await run('cp', ['/usr/bin/true', r('srv/data/cap-bin')]);
  await run('setcap', ['cap_net_raw+ep', r('srv/data/cap-bin')]);
  await run('cp', ['/usr/bin/true', r('srv/data/suid-bin')]);
  await run('chmod', ['4755', r('srv/data/suid-bin')]);
  await run('chmod', ['1777', r('srv/data/sticky')]);
  await writeFile(r('srv/data/hard-a'), 'linked\n');
  await run('ln', [r('srv/data/hard-a'), r('srv/data/hard-b')]);
  await writeFile(r('srv/keep.txt'), 'kept\n');
  await writeFile(r('srv/skip-me/secret-cache.bin'), 'excluded after the policy edit\n');
}

function isExcluded(path: string): boolean {
  return EXCLUDED.some((ex) => path === ex || path.startsWith(`${ex}/`));
}

// The rootfs manifest (type, mode, owners, mtime, content, xattrs incl. ACLs and
// capabilities, hard links) without the excluded paths.
export async function rootfsManifest(rootfs: string): Promise<string[]> {
  const lines = await treeManifest(rootfs);
  return lines.filter((line) => {
    const parsed = JSON.parse(line) as unknown[];
    const path = parsed[0] === 'xattr' ? String(parsed[1]).replace(/^\.\//, '') : String(parsed[0]);
    if (parsed[0] === 'hardlinks') return true;
    return !isExcluded(path);
  });
}
