// Proves the sftp and s3 fixtures work as duplicity 0.8.22 targets: full backup, restore, compare, stop.
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive } from '../support/fixture-process.js';
import { startS3 } from '../support/s3.js';
import { startSshd } from '../support/sshd.js';
import { createCleanup, makeTempDir, removeDir } from '../support/temp.js';

const cleanup = createCleanup();
afterEach(() => cleanup.run());

// Source tree small enough to keep each round trip around a second, binary to catch mangling.
const FILES: Record<string, string | Buffer> = {
  'a.txt': 'hello from lxc-backup\n',
  'sub/b.txt': 'nested\n',
  'sub/blob.bin': randomBytes(64 * 1024),
};

// Per-test scratch: source tree, restore dir, archive cache and a HOME that must stay untouched.
async function scratch(): Promise<{ src: string; restored: string; archive: string; home: string }> {
  const base = await makeTempDir('targets');
  cleanup.add(() => removeDir(base));
  const src = join(base, 'src');
  for (const [name, content] of Object.entries(FILES)) {
    await mkdir(join(src, name, '..'), { recursive: true });
    await writeFile(join(src, name), content);
  }
  const home = join(base, 'home');
  await mkdir(home);
  return { src, restored: join(base, 'restored'), archive: join(base, 'archive'), home };
}

// Runs duplicity non-interactively and fails the test with its output when it does not exit 0.
async function duplicity(args: string[], env: Record<string, string>): Promise<void> {
  const result = await execa('duplicity', args, { env, stdin: 'ignore', reject: false, timeout: 60_000 });
  expect(result.exitCode, `duplicity ${args[0]} failed:\n${result.stdout}\n${result.stderr}`).toBe(0);
}

// Every source file must come back byte for byte.
async function expectSameTree(restored: string): Promise<void> {
  for (const [name, content] of Object.entries(FILES)) {
    expect(await readFile(join(restored, name)), name).toEqual(Buffer.from(content));
  }
}

describe('duplicity targets', () => {
  it('backs up to and restores from sftp (sshd fixture)', async () => {
    const { src, restored, archive, home } = await scratch();
    const server = await startSshd();
    cleanup.add(() => server.stop());
    // "//" after the port: the path after the first "/" is taken as is, so this is absolute.
    const target = `sftp://${server.user}@${server.host}:${server.port}/${server.dir}`;
    const common = [
      '--no-encryption',
      '--archive-dir',
      archive,
      `--ssh-options=-oIdentityFile=${server.identityFile} -oUserKnownHostsFile=${server.knownHostsFile}`,
    ];
    const env = { HOME: home };

    await duplicity(['full', ...common, src, target], env);
    expect((await readdir(server.dir)).some((f) => f.endsWith('.manifest'))).toBe(true);
    await duplicity(['restore', ...common, target, restored], env);
    await expectSameTree(restored);
    // The known_hosts we passed was used: nothing was written to the user's own ~/.ssh.
    expect(existsSync(join(home, '.ssh'))).toBe(false);

    await server.stop();
    expect(isAlive(server.pid)).toBe(false);
    expect(existsSync(server.dir)).toBe(false);
  });

  it('fails fast instead of prompting when the sftp host key is unknown', async () => {
    const { src, archive, home } = await scratch();
    const server = await startSshd();
    cleanup.add(() => server.stop());
    const emptyKnownHosts = join(home, 'known_hosts');
    await writeFile(emptyKnownHosts, '');
    const target = `sftp://${server.user}@${server.host}:${server.port}/${server.dir}`;
    // paramiko ignores StrictHostKeyChecking and asks "yes/no" on stdin; with stdin closed that is an error.
    const result = await execa(
      'duplicity',
      [
        'full',
        '--no-encryption',
        '--num-retries',
        '1',
        '--archive-dir',
        archive,
        `--ssh-options=-oIdentityFile=${server.identityFile} -oUserKnownHostsFile=${emptyKnownHosts}`,
        src,
        target,
      ],
      { env: { HOME: home }, stdin: 'ignore', reject: false, timeout: 60_000 },
    );
    expect(result.exitCode).not.toBe(0);
    expect(result.stdout + result.stderr).toMatch(/authenticity of host/);
    expect(await readdir(server.dir)).toEqual([]);
  });

  it('backs up to and restores from s3 (s3rver fixture)', async () => {
    const { src, restored, archive, home } = await scratch();
    const server = await startS3();
    cleanup.add(() => server.stop());
    const target = `boto3+s3://${server.bucket}/lxc/web-1`;
    const common = ['--no-encryption', '--archive-dir', archive, '--s3-endpoint-url', server.endpoint];
    const env = {
      HOME: home,
      AWS_ACCESS_KEY_ID: server.accessKeyId,
      AWS_SECRET_ACCESS_KEY: server.secretAccessKey,
      AWS_DEFAULT_REGION: 'us-east-1',
    };

    await duplicity(['full', ...common, src, target], env);
    expect(await readdir(join(server.dir, server.bucket, 'lxc', 'web-1'))).not.toHaveLength(0);
    await duplicity(['restore', ...common, target, restored], env);
    await expectSameTree(restored);

    await server.stop();
    expect(isAlive(server.pid)).toBe(false);
    expect(existsSync(server.dir)).toBe(false);
  });
});
