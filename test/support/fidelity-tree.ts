// Fixture and inspection helpers for the fidelity integration tests (real tools, no mocks).
import { execa } from 'execa';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

// Odd names that must survive getfattr's escaping and our NUL-separated files.
export const ODD_NAMES = ['with space', 'new\nline', 'ünïcødé', '-leading-dash', 'back\\slash'];

// Runs a tool and returns stdout; throws on non-zero exit.
export async function run(file: string, args: string[], cwd?: string): Promise<string> {
  return (await execa(file, args, { cwd, stdin: 'ignore' })).stdout;
}

// Builds config + rootfs/ with every kind of metadata duplicity loses; `outside` is a file
// outside the tree that a symlink inside points at (it must never get xattrs).
export async function buildFixture(dir: string, outside: string): Promise<void> {
  const r = (p: string): string => join(dir, 'rootfs', p);
  await mkdir(r('etc/sub'), { recursive: true });
  await mkdir(r('bin'), { recursive: true });
  await mkdir(r('acl-dir'), { recursive: true });
  await writeFile(join(dir, 'config'), 'lxc.uts.name = web\n');
  await writeFile(r('etc/user-xattr'), 'x\n');
  await run('setfattr', ['-n', 'user.origin', '-v', 'fixture', r('etc/user-xattr')]);
  await run('setfattr', ['-n', 'trusted.secret', '-v', '0x00ff', r('etc/user-xattr')]);
  await writeFile(r('etc/acl-file'), 'acl\n');
  await run('setfacl', ['-m', 'u:1234:rw,g:4321:r', r('etc/acl-file')]);
  await run('setfacl', ['-d', '-m', 'u:1234:rx', r('acl-dir')]);
  await run('cp', [join('/usr/bin/true'), r('bin/ping')]);
  await run('setcap', ['cap_net_raw+ep', r('bin/ping')]);
  await run('cp', ['/usr/bin/true', r('bin/suid')]);
  await run('chmod', ['4755', r('bin/suid')]);
  await writeFile(r('etc/owned'), 'o\n');
  await run('chown', ['100123:100123', r('etc/owned')]);
  // 3-way hard-link group spanning etc/ and bin/, and a pair inside etc/ with an odd name.
  await writeFile(r('etc/link-a'), 'linked\n');
  await run('ln', [r('etc/link-a'), r('etc/sub/link-b')]);
  await run('ln', [r('etc/link-a'), r('bin/link-c')]);
  await writeFile(r('etc/pair'), 'pair\n');
  await run('ln', [r('etc/pair'), r('etc/pair new\nline')]);
  // 64 MiB with 3 bytes of data at 10 MB.
  await run('truncate', ['-s', '64M', r('sparse.img')]);
  await run('dd', [`of=${r('sparse.img')}`, 'bs=1', 'seek=10000000', 'conv=notrunc', 'status=none', 'if=/etc/hostname']);
  // Punching holes drops security.capability, so this catches apply.sh doing xattrs too early.
  await run('setcap', ['cap_net_raw+ep', r('sparse.img')]);
  for (const name of ODD_NAMES) {
    await writeFile(r(`etc/${name}`), name);
    await run('setfattr', ['-n', 'user.name', '-v', name.length.toString(), '--', r(`etc/${name}`)]);
  }
  await writeFile(outside, 'outside\n');
  await run('ln', ['-s', outside, r('etc/abs-symlink')]);
  await run('setfattr', ['-h', '-n', 'trusted.on-link', '-v', 'yes', r('etc/abs-symlink')]);
  // Give everything an old, distinct mtime so "restored mtime" checks mean something.
  await run('find', [dir, '-exec', 'touch', '-h', '-d', '@1600000000.5', '{}', '+']);
}

// getfattr dump parsed into path -> sorted "name=value" lines, order-independent.
export async function xattrMap(dir: string): Promise<Map<string, string[]>> {
  const out = await run('getfattr', ['-R', '-P', '-h', '-d', '-m', '-', '-e', 'hex', '.'], dir);
  const map = new Map<string, string[]>();
  for (const block of out.split('\n\n')) {
    const [head, ...attrs] = block.trim().split('\n');
    if (head?.startsWith('# file: ')) map.set(head.slice(8), attrs.sort());
  }
  return map;
}

// One line per entry (NUL-free view): path -> {inode, mode, owner, mtime seconds, blocks, type}.
export interface Entry {
  ino: string;
  mode: string;
  owner: string;
  mtimeSec: string;
  blocks: number;
  type: string;
}

// Walks a tree with find and returns its entries keyed by relative path.
export async function entries(dir: string): Promise<Map<string, Entry>> {
  const { stdout } = await execa('find', ['.', '-mindepth', '1', '-printf', '%i %m %U:%G %T@ %b %y %P\\0'], { cwd: dir });
  const map = new Map<string, Entry>();
  for (const rec of stdout.split('\0').filter((r) => r !== '')) {
    const [ino, mode, owner, mtime, blocks, type, ...rest] = rec.split(' ');
    map.set(rest.join(' '), {
      ino: ino!,
      mode: mode!,
      owner: owner!,
      mtimeSec: mtime!.split('.')[0]!,
      blocks: Number(blocks),
      type: type!,
    });
  }
  return map;
}

// Paths grouped by inode, as sorted groups of 2+ (regular files only).
export function linkGroups(map: Map<string, Entry>): string[][] {
  const byIno = new Map<string, string[]>();
  for (const [path, e] of map) if (e.type === 'f') byIno.set(e.ino, [...(byIno.get(e.ino) ?? []), path]);
  return [...byIno.values()]
    .filter((g) => g.length > 1)
    .map((g) => g.sort())
    .sort();
}

// A duplicity 0.8/3.x invocation with a throwaway archive dir, unencrypted, file:// target.
export function duplicityArgs(work: string, verb: string[], more: string[]): string[] {
  return [...verb, '--no-encryption', '--archive-dir', join(work, 'archive'), '--name', 'fid', ...more];
}
