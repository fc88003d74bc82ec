// The host helper part of provision (lxc/provision-helper.sh), called directly with its paths
// in a temp dir: installs the bundle and a config naming the backup container, says how to
// start the helper without systemd, plans the units with systemd, and --uninstall removes it.
import { execa } from 'execa';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../../support/temp.js';

const REPO = join(import.meta.dirname, '..', '..', '..');

let dir: string;
let repo: string;
beforeEach(async () => {
  dir = await makeTempDir('provision-helper');
  // A stand-in checkout: the templates of this one, a built bundle.
  repo = join(dir, 'repo');
  await mkdir(join(repo, 'dist'), { recursive: true });
  await writeFile(join(repo, 'dist', 'lxc-backup-helper.mjs'), '// bundle\n');
  await execa('cp', ['-r', join(REPO, 'templates'), join(repo, 'templates')]);
});
afterEach(async () => removeDir(dir));

// Runs `steps` after sourcing the helper part, with every path under the temp dir.
async function provision(steps: string, dryRun = false) {
  const script = `set -euo pipefail; source "$1/lxc/common.sh"; source "$1/lxc/provision-helper.sh"; repo=$2; name=lxc-backup; lxcpath=/var/lib/lxc; restore_dir=/var/lib/lxc-backup-restore; installed_packages=(); ${steps}`;
  const env = {
    LXCB_PROG: 'provision',
    LXCB_DRY_RUN: dryRun ? '1' : '0',
    LXCB_HELPER_DIR: join(dir, 'lib'),
    LXCB_HELPER_CONFIG: join(dir, 'etc', 'helper.json'),
    LXCB_HELPER_RUN_DIR: join(dir, 'run'),
    LXCB_UNIT_DIR: join(dir, 'units'),
  };
  const result = await execa('bash', ['-c', script, 'test', REPO, repo], { reject: false, env });
  return { code: result.exitCode, out: String(result.stdout), err: String(result.stderr) };
}

describe('provision: host helper', () => {
  it('installs the bundle and a 0600 config, and says how to start it without systemd', async () => {
    const result = await provision('have_systemd() { false; }; install_helper');
    expect(result.code, result.err).toBe(0);
    expect(await readFile(join(dir, 'lib', 'lxc-backup-helper.mjs'), 'utf8')).toBe('// bundle\n');
    const config = JSON.parse(await readFile(join(dir, 'etc', 'helper.json'), 'utf8'));
    expect(config).toEqual({ lxcpath: '/var/lib/lxc', backup_container: 'lxc-backup', restore_root: '/var/lib/lxc-backup-restore' });
    expect((await stat(join(dir, 'etc', 'helper.json'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'run'))).mode & 0o777).toBe(0o700);
    expect(result.out).toMatch(/no systemd on this host: start the host helper yourself/);
    expect(result.out).toContain(`node ${join(dir, 'lib')}/lxc-backup-helper.mjs --config ${join(dir, 'etc', 'helper.json')}`);
  });

  it('installs the units and enables the socket with systemd', async () => {
    const result = await provision('have_systemd() { true; }; install_helper', true);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toContain(
      `would run: install -m 0644 ${repo}/templates/lxc-backup-helper.socket ${join(dir, 'units')}/lxc-backup-helper.socket`,
    );
    expect(result.out).toContain('would run: systemctl enable --now lxc-backup-helper.socket');
  });

  it('--uninstall removes the bundle and the config', async () => {
    expect((await provision('have_systemd() { false; }; install_helper')).code).toBe(0);
    const result = await provision('have_systemd() { false; }; uninstall_helper');
    expect(result.code, result.err).toBe(0);
    await expect(stat(join(dir, 'lib'))).rejects.toThrow(/ENOENT/);
    await expect(stat(join(dir, 'etc', 'helper.json'))).rejects.toThrow(/ENOENT/);
    expect(result.out).toMatch(/removed the host helper/);
  });

  it('the units start the installed bundle with its config from a 0600 socket in a 0700 directory', async () => {
    const socket = await readFile(join(REPO, 'templates', 'lxc-backup-helper.socket'), 'utf8');
    expect(socket).toMatch(/^ListenStream=\/run\/lxc-backup-helper\/helper\.sock$/m);
    expect(socket).toMatch(/^SocketMode=0600$/m);
    expect(socket).toMatch(/^DirectoryMode=0700$/m);
    const service = await readFile(join(REPO, 'templates', 'lxc-backup-helper.service'), 'utf8');
    expect(service).toMatch(
      /^ExecStart=\/usr\/bin\/node \/usr\/local\/lib\/lxc-backup\/lxc-backup-helper\.mjs --config \/etc\/lxc-backup\/helper\.json$/m,
    );
  });
});
