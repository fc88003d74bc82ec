// The job timeout against real duplicity: a short `timeout` stops a long backup with the one
// timeout message.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLxcBackup } from '../support/cli.js';
import { makeTempDir, removeDir } from '../support/temp.js';

let work: string;

beforeAll(async () => {
  work = await makeTempDir('timeout');
});
afterAll(async () => removeDir(work));

describe('job timeout', () => {
  it('a timeout of 1s stops a backup that takes longer, naming settings.timeout', async () => {
    const hostRoot = join(work, 'host');
    const dir = join(hostRoot, 'big');
    await mkdir(join(dir, 'rootfs', 'var'), { recursive: true });
    await writeFile(join(dir, 'config'), `lxc.uts.name = big\nlxc.rootfs.path = dir:${dir}/rootfs\n`);
    // Encrypted and compressed, 64 MiB of random data takes duplicity well over a second.
    for (const part of ['a', 'b']) await writeFile(join(dir, 'rootfs', 'var', `${part}.bin`), randomBytes(32 * 1024 * 1024));
    const secrets = join(work, 'secrets.env');
    await writeFile(secrets, 'PASSPHRASE=timeout-pass\n');
    await chmod(secrets, 0o600);
    const policy = join(work, 'policy.yaml');
    await writeFile(
      policy,
      `version: 1\nhost_root: ${hostRoot}\nstate_dir: ${join(work, 'state')}\nsecrets_file: ${secrets}\ndefaults:\n  target: "file://${join(work, 'target')}/{name}"\n  timeout: 1s\n`,
    );
    const started = Date.now();
    const run = await runLxcBackup(['backup', 'big', '--policy', policy]);
    expect(run.code).toBe(1);
    expect(run.err).toContain('timed out after 1 s (settings.timeout)');
    // Stopped by the timeout (SIGTERM), not after duplicity's own end or the 30 s kill grace.
    expect(Date.now() - started).toBeLessThan(30_000);
  }, 60_000);
});
