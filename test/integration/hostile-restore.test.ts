// A guest that swaps its own directories for symlinks between the metadata capture and
// duplicity's read (issue 12, findings 1, 3 and 6), through the real CLI and real duplicity.
// The swap is forced at an exact point instead of raced: a sitecustomize.py on duplicity's
// PYTHONPATH does it as duplicity starts, i.e. after the capture and before the tree is read.
import { execa } from 'execa';
import { createHash } from 'node:crypto';
import { chmod, lstat, mkdir, readdir, readFile, readlink, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLxcBackup } from '../support/cli.js';
import { makeTempDir, removeDir } from '../support/temp.js';

let work: string;
let hostRoot: string;
let decoy: string;
let policy: string;

// Runs in every Python that starts with this PYTHONPATH; acts once, in a duplicity backup
// (not in `duplicity --version`, which the CLI may run before the capture).
const SITECUSTOMIZE = `
import json, os, sys
plan = os.environ.get('LXCB_TEST_SWAP_PLAN')
backup = sys.argv[0].endswith('duplicity') and '/' in sys.argv[1:]  # the source of a backup
if plan and backup and os.path.exists(plan):
    with open(plan) as f:
        swaps = json.load(f)
    os.unlink(plan)
    for path, target in swaps:
        os.rename(path, path + '.orig')
        os.symlink(target, path)
`;

// Everything about a tree that a write through a symlink would change: content, inode,
// link count, mode, mtime and xattrs of every entry.
async function fingerprint(dir: string): Promise<string> {
  const { stdout } = await execa('find', [dir, '-printf', '%p %y %i %n %m %s %T@\\n']);
  const xattrs = await execa('getfattr', ['-R', '-P', '-h', '-d', '-m', '-', '-e', 'hex', dir]);
  const hash = createHash('sha256');
  for (const line of stdout.split('\n').sort()) hash.update(`${line}\n`);
  hash.update(xattrs.stdout);
  for (const name of await readdir(dir)) {
    const info = await lstat(join(dir, name));
    if (info.isFile()) hash.update(await readFile(join(dir, name)));
  }
  return hash.digest('hex');
}

beforeAll(async () => {
  work = await makeTempDir('hostile-restore');
  hostRoot = join(work, 'host');
  decoy = join(work, 'decoy');
  await mkdir(decoy);
  // Files a restore must never touch: same names as the guest's entries behind the symlinks.
  await writeFile(join(decoy, 'x'), 'decoy x\n');
  await writeFile(join(decoy, 'h2'), 'decoy h2\n');
  await execa('truncate', ['-s', '8M', join(decoy, 's')]);
  const secrets = join(work, 'secrets.env');
  await writeFile(secrets, 'PASSPHRASE=hostile-pass\n');
  await chmod(secrets, 0o600);
  policy = join(work, 'policy.yaml');
  await writeFile(
    policy,
    `version: 1\nhost_root: ${hostRoot}\nstate_dir: ${join(work, 'state')}\nsecrets_file: ${secrets}\ndefaults:\n  target: "file://${join(work, 'target')}/{name}"\n`,
  );
});
afterAll(async () => removeDir(work));

// A container whose rootfs has, below `e/` and `d/`, everything the metadata records:
// a hard-link pair, an xattr, a sparse file; `d/config` is linked with the guest's own text.
async function hostileContainer(name: string): Promise<string> {
  const dir = join(hostRoot, name);
  const r = (p: string): string => join(dir, 'rootfs', p);
  await mkdir(r('e'), { recursive: true });
  await mkdir(r('d'), { recursive: true });
  await mkdir(r('a'), { recursive: true });
  await writeFile(join(dir, 'config'), `lxc.uts.name = ${name}\n`);
  await writeFile(r('e/x'), 'guest x\n');
  await execa('setfattr', ['-n', 'user.guest', '-v', 'was-here', r('e/x')]);
  await writeFile(r('a/h1'), 'guest h1\n');
  await execa('ln', [r('a/h1'), r('e/h2')]);
  await execa('truncate', ['-s', '8M', r('e/s')]);
  await execa('dd', [`of=${r('e/s')}`, 'bs=1', 'seek=4000000', 'conv=notrunc', 'status=none', 'if=/etc/hostname']);
  await writeFile(r('evil'), 'lxc.hook.pre-start = /bin/sh -c "touch /tmp/lxc-backup-pwned"\n');
  await execa('ln', [r('evil'), r('d/config')]);
  // A hard link inside a directory whose name ends in a newline (finding 6: `$(dirname …)`).
  await mkdir(r('n\n'));
  await writeFile(r('n\n/one'), 'one\n');
  await execa('ln', [r('n\n/one'), r('n\n/two')]);
  return dir;
}

// `lxc-backup backup --direct NAME` with the guest's swap forced as duplicity starts.
async function backupWithSwap(name: string, swaps: [string, string][]): Promise<void> {
  const site = join(work, 'site');
  await mkdir(site, { recursive: true });
  await writeFile(join(site, 'sitecustomize.py'), SITECUSTOMIZE);
  const plan = join(work, `${name}-plan.json`);
  await writeFile(plan, JSON.stringify(swaps));
  process.env.PYTHONPATH = site;
  process.env.LXCB_TEST_SWAP_PLAN = plan;
  try {
    const run = await runLxcBackup(['backup', '--direct', name, '--policy', policy]);
    expect(run.code, run.err).toBe(0);
  } finally {
    delete process.env.PYTHONPATH;
    delete process.env.LXCB_TEST_SWAP_PLAN;
  }
  // The plan was consumed: the swap really happened inside duplicity.
  await expect(lstat(plan)).rejects.toThrow(/ENOENT/);
}

describe('a guest that swaps directories for symlinks during its backup', () => {
  it('cannot make the restore write outside the restore directory or replace the config', async () => {
    const dir = await hostileContainer('swapper');
    const r = (p: string): string => join(dir, 'rootfs', p);
    await backupWithSwap('swapper', [
      [r('e'), decoy],
      [r('d'), '..'],
    ]);
    const before = await fingerprint(decoy);
    const to = join(work, 'restored');
    const restore = await runLxcBackup(['restore', 'swapper', '--to', to, '--policy', policy]);
    expect(restore.code, restore.err).toBe(0);

    expect(await fingerprint(decoy)).toBe(before);
    expect(await readFile(join(to, 'config'), 'utf8')).toBe('lxc.uts.name = swapper\n');
    // The swapped paths came back as the symlinks duplicity saw, and nothing went through them.
    expect(await readlink(join(to, 'rootfs/e'))).toBe(decoy);
    expect(await readlink(join(to, 'rootfs/d'))).toBe('..');
    expect((await execa('getfattr', ['-d', '-m', '-', join(decoy, 'x')])).stdout).toBe('');
    // The metadata of the originals (now under e.orig/) does not apply to other paths: those
    // entries are counted as skipped; the untouched pair in "n\n/" was relinked.
    expect(restore.out).toMatch(/skipped/);
    expect((await lstat(join(to, 'rootfs/n\n/one'))).ino).toBe((await lstat(join(to, 'rootfs/n\n/two'))).ino);
  });

  it('restore --path --force never writes through a symlink already in DIR', async () => {
    const dir = join(hostRoot, 'pathy');
    await mkdir(join(dir, 'rootfs/s/cron.d'), { recursive: true });
    await writeFile(join(dir, 'config'), 'lxc.uts.name = pathy\n');
    await writeFile(join(dir, 'rootfs/s/cron.d/job'), '* * * * * root true\n');
    expect((await runLxcBackup(['backup', '--direct', 'pathy', '--policy', policy])).code).toBe(0);
    const to = join(work, 'pathy-restored');
    await mkdir(join(to, 'rootfs'), { recursive: true });
    // An earlier restore left the guest's symlink rootfs/s -> the decoy directory.
    await symlink(decoy, join(to, 'rootfs/s'));
    const before = await fingerprint(decoy);
    const run = await runLxcBackup(['restore', 'pathy', '--to', to, '--path', 'rootfs/s/cron.d', '--force', '--policy', policy]);
    expect(run.code).toBe(1);
    expect(run.err).toContain(`${join(to, 'rootfs/s')} is a symlink: a restore never writes through one`);
    expect(await fingerprint(decoy)).toBe(before);
    expect(await readdir(decoy)).not.toContain('cron.d');
  });
});
