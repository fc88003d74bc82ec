// The host's checks of a restored tree (lxc/restore-checks.sh), called directly on temp dirs:
// types are judged without following links, the config is copied without following one, and
// a config whose power lines differ from the record stops the restore unless accepted.
import { execa } from 'execa';
import { mkdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../../support/temp.js';

const REPO = join(import.meta.dirname, '..', '..', '..');

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir('restore-checks');
});
afterEach(async () => removeDir(dir));

// Runs one function of restore-checks.sh with its arguments; never throws.
async function call(fn: string, ...args: string[]) {
  // The options scripts/restore runs under: a failing pipeline stage must not end it early.
  const script = 'set -euo pipefail; source "$1/lxc/common.sh"; source "$1/lxc/restore-checks.sh"; shift; "$@"';
  const result = await execa('bash', ['-c', script, 'test', REPO, fn, ...args], { reject: false, env: { LXCB_PROG: 'restore' } });
  return { code: result.exitCode, out: String(result.stdout), err: String(result.stderr) };
}

// A restored tree as the backup container would leave it: config and rootfs.
async function goodTree(): Promise<string> {
  const tree = join(dir, 'job');
  await mkdir(join(tree, 'rootfs'), { recursive: true });
  await writeFile(join(tree, 'config'), 'lxc.uts.name = web\n', { mode: 0o640 });
  return tree;
}

describe('check_restored_tree', () => {
  it('passes a directory with a regular config and a rootfs directory (also an empty config)', async () => {
    const tree = await goodTree();
    expect(await call('check_restored_tree', tree)).toMatchObject({ code: 0, err: '' });
    await writeFile(join(tree, 'config'), '');
    expect((await call('check_restored_tree', tree)).code).toBe(0);
  });

  // [what, how the tree is spoiled, the message expected]
  const spoiled: Array<[string, (tree: string) => Promise<void>, string]> = [
    [
      'config is a symlink to a host file',
      async (t) => {
        await writeFile(join(dir, 'secret'), 'PASSWORD=x\n', { mode: 0o600 });
        await execa('rm', [join(t, 'config')]);
        await symlink(join(dir, 'secret'), join(t, 'config'));
      },
      'the restored config',
    ],
    [
      'config is a dangling symlink',
      async (t) => {
        await execa('rm', [join(t, 'config')]);
        await symlink('/nonexistent', join(t, 'config'));
      },
      'found a symbolic link',
    ],
    [
      'config is a directory',
      async (t) => {
        await execa('rm', [join(t, 'config')]);
        await mkdir(join(t, 'config'));
      },
      'found a directory',
    ],
    [
      'config is a FIFO',
      async (t) => {
        await execa('rm', [join(t, 'config')]);
        await execa('mkfifo', [join(t, 'config')]);
      },
      'found a fifo',
    ],
    [
      'config is missing',
      async (t) => {
        await execa('rm', [join(t, 'config')]);
      },
      'found nothing',
    ],
    [
      'rootfs is a symlink to a host directory',
      async (t) => {
        await execa('rmdir', [join(t, 'rootfs')]);
        await symlink('/etc', join(t, 'rootfs'));
      },
      'the restored rootfs',
    ],
    [
      'rootfs is a file',
      async (t) => {
        await execa('rmdir', [join(t, 'rootfs')]);
        await writeFile(join(t, 'rootfs'), '');
      },
      'found a regular file',
    ],
  ];
  it.each(spoiled)('refuses a tree where %s', async (_what, spoil, message) => {
    const tree = await goodTree();
    await spoil(tree);
    const result = await call('check_restored_tree', tree);
    expect(result.code).toBe(1);
    expect(result.err).toContain(message);
    expect(result.err).toContain('expected a');
  });

  it('refuses when the container directory itself is a symlink', async () => {
    const tree = await goodTree();
    await symlink(tree, join(dir, 'link'));
    const result = await call('check_restored_tree', join(dir, 'link'));
    expect(result.code).toBe(1);
    expect(result.err).toContain('expected a directory, found a symbolic link');
  });
});

describe('copy_restored_config', () => {
  it('copies the bytes into a new file with group/other write bits and setuid dropped', async () => {
    const tree = await goodTree();
    await execa('chmod', ['4666', join(tree, 'config')]);
    const copy = join(dir, 'copy');
    expect((await call('copy_restored_config', join(tree, 'config'), copy)).code).toBe(0);
    expect(await readFile(copy, 'utf8')).toBe('lxc.uts.name = web\n');
    expect((await stat(copy)).mode & 0o7777).toBe(0o644);
  });

  it.each([
    [
      'a symlink',
      async (f: string) => {
        await writeFile(join(dir, 'secret'), 's');
        await symlink(join(dir, 'secret'), f);
      },
      'found a symbolic link',
    ],
    ['bigger than 1 MiB', async (f: string) => writeFile(f, Buffer.alloc(1024 * 1024 + 1, 0x61)), 'expected at most 1048576 bytes'],
    ['holding a NUL byte', async (f: string) => writeFile(f, 'lxc.cap.drop = sys_admin\0\nlxc.uts.name = x\n'), 'found NUL bytes'],
  ])('refuses a config that is %s', async (_what, make, message) => {
    const file = join(dir, 'config');
    await make(file);
    const result = await call('copy_restored_config', file, join(dir, 'copy'));
    expect(result.code).toBe(1);
    expect(result.err).toContain(message);
  });
});

describe('verify_config_power', () => {
  async function verify(config: string, record: string, recordRc = '0', accept = '0') {
    await writeFile(join(dir, 'config'), config);
    await writeFile(join(dir, 'record'), record);
    return call('verify_config_power', join(dir, 'config'), 'web', recordRc, join(dir, 'record'), accept);
  }

  it('passes when the power lines equal the record, whatever else changed', async () => {
    const result = await verify('lxc.uts.name = other\nlxc.cap.drop = sys_module\n# note\n', 'lxc.cap.drop = sys_module\n');
    expect(result.code).toBe(0);
    expect(result.out).toContain('match the record');
  });

  it('refuses an added hook, a dropped cap.drop and shows them escaped', async () => {
    const result = await verify('lxc.hook.pre-start = /bin/sh -c "id"\x1b[2J\n', 'lxc.cap.drop = sys_module\n');
    expect(result.code).toBe(1);
    expect(result.err).toContain('  + lxc.hook.pre-start = /bin/sh -c "id"^[[2J');
    expect(result.err).not.toContain('\x1b');
    expect(result.err).toContain('  - lxc.cap.drop = sys_module');
    expect(result.err).toContain('--accept-config');
  });

  it('takes a missing record as empty, and says so', async () => {
    const refused = await verify('lxc.mount.entry = / host none bind 0 0\n', '', '1');
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('no record');
    expect(refused.err).toContain('  + lxc.mount.entry = / host none bind 0 0');
    expect(refused.err).toContain('refused: nothing was installed');
    expect((await verify('lxc.uts.name = web\n', '', '1')).code).toBe(0);
  });

  it('installs a differing config with --accept-config, still showing the lines', async () => {
    const result = await verify('lxc.hook.pre-start = /x\n', '', '0', '1');
    expect(result.code).toBe(0);
    expect(result.err).toContain('  + lxc.hook.pre-start = /x');
    expect(result.err).toContain('--accept-config: installing');
  });
});
