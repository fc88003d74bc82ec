// scripts/provision's key functions (lxc/provision-keys.sh) run on their own, no LXC: a key
// pair generated into a directory, only its public half imported into an agent GnuPG home,
// the policy switched to pubkey mode, and a secret key refused as --encrypt-to.
import { execa } from 'execa';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePolicy } from '../../agent/policy/parse.js';
import { makeTempDir, removeDir } from '../support/temp.js';
import { REPO } from './agent-helpers.js';

let dir = '';
const keysSh = (script: string, args: string[] = []) =>
  execa(
    'bash',
    ['-c', `set -euo pipefail; source lxc/common.sh; source lxc/provision-keys.sh; LXCB_PROG=provision; name=bk; ${script}`, 'x', ...args],
    { cwd: REPO, reject: false },
  );
const keyHomesLeft = async () =>
  (await readdir('/dev/shm').catch(() => [] as string[])).filter((name) => /^lxc-backup-key(gen|probe)-/.test(name));

beforeAll(async () => {
  dir = await makeTempDir('provision-keys');
});
afterAll(async () => {
  await removeDir(dir);
});

describe('provision --generate-keypair / --encrypt-to', () => {
  it('generates a key pair into DIR, imports only its public half and writes the policy', async () => {
    const before = await keyHomesLeft();
    const result = await keysSh(
      'rootfs=$1; keypair_dir=$2; encryption_mode=pubkey; setup_pubkey_encryption; print_key_summary; write_pubkey_secrets "$1/secrets.env"',
      [join(dir, 'rootfs'), join(dir, 'keys')],
    );
    await execa('mkdir', ['-p', join(dir, 'rootfs', 'etc', 'lxc-backup')]);
    expect(result.exitCode, result.stderr).not.toBe(0); // no policy yet: it must say so, not pass silently
    expect(result.stderr).toMatch(/policy\.yaml/);
    // Again with the template's policy in place (the way install_agent_files leaves it).
    await execa('rm', ['-rf', join(dir, 'keys'), join(dir, 'rootfs', 'var')]);
    await writeFile(join(dir, 'rootfs', 'etc', 'lxc-backup', 'policy.yaml'), await readFile(join(REPO, 'templates/policy.yaml')));
    const ok = await keysSh(
      'rootfs=$1; keypair_dir=$2; encryption_mode=pubkey; setup_pubkey_encryption; print_key_summary; write_pubkey_secrets "$1/secrets.env"',
      [join(dir, 'rootfs'), join(dir, 'keys')],
    );
    expect(ok.exitCode, ok.stderr).toBe(0);
    const fpr = /generated key pair ([0-9A-F]{40})/.exec(ok.stdout)?.[1];
    expect(fpr, ok.stdout).toBeDefined();
    expect(ok.stdout).toMatch(/MOVE .*keys OFF THIS HOST NOW/);
    expect(ok.stdout).toMatch(/The PRIVATE key must NOT be on this host/);
    expect((await stat(join(dir, 'keys'))).mode & 0o777).toBe(0o700);
    for (const file of ['secret-key.asc', 'revocation-cert.asc']) expect((await stat(join(dir, 'keys', file))).mode & 0o777).toBe(0o600);
    expect(await readFile(join(dir, 'keys', 'secret-key.asc'), 'utf8')).toContain('PRIVATE KEY BLOCK');
    expect(await readFile(join(dir, 'keys', 'revocation-cert.asc'), 'utf8')).toContain(fpr);
    // The agent's home: the public key, no secret key.
    const home = join(dir, 'rootfs', 'var', 'lib', 'lxc-backup', 'gnupg');
    const gpg = (args: string[]) => execa('gpg', ['--homedir', home, '--batch', '--with-colons', ...args]);
    expect((await gpg(['--list-keys'])).stdout).toContain(fpr);
    expect((await gpg(['--list-secret-keys'])).stdout).toBe('');
    expect(await readdir(join(home, 'private-keys-v1.d')).catch(() => [])).toEqual([]);
    const policyText = await readFile(join(dir, 'rootfs', 'etc', 'lxc-backup', 'policy.yaml'), 'utf8');
    const policy = parsePolicy(policyText, 'policy.yaml');
    expect(policy.problems).toEqual([]);
    // The passphrase's key stretching went with the passphrase, its comment too.
    expect(policyText).not.toMatch(/stretch/);
    expect(policy.policy?.defaults.encryption).toEqual({ mode: 'pubkey', encrypt_keys: [fpr] });
    expect(await readFile(join(dir, 'rootfs', 'secrets.env'), 'utf8')).not.toMatch(/^PASSPHRASE=/m);
    // The temporary home gpg worked in is gone.
    expect(await keyHomesLeft()).toEqual(before);
  }, 60_000);

  it('refuses a private key as --encrypt-to and a directory that already holds a key', async () => {
    const secret = await keysSh('rootfs=$1; encrypt_to=("$2"); import_encrypt_keys', [
      join(dir, 'rootfs2'),
      join(dir, 'keys', 'secret-key.asc'),
    ]);
    expect(secret.exitCode).toBe(2);
    expect(secret.stderr).toMatch(/holds a PRIVATE key: give the public key/);
    await expect(stat(join(dir, 'rootfs2', 'var'))).rejects.toThrow();
    const again = await keysSh('generate_keypair "$1"', [join(dir, 'keys')]);
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toMatch(/secret-key\.asc exists/);
  }, 30_000);
});
