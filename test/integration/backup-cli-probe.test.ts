// `lxc-backup backup NAME --direct` probes the target before duplicity, as the agent does: a
// target that does not answer is one line naming it and why, and duplicity never starts.
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLxcBackup } from '../support/cli.js';
import { makeTempDir, removeDir } from '../support/temp.js';

let work: string;

beforeAll(async () => {
  work = await makeTempDir('backup-cli-probe');
  await mkdir(join(work, 'host', 'web', 'rootfs', 'etc'), { recursive: true });
  await writeFile(join(work, 'host', 'web', 'config'), 'lxc.uts.name = web\n');
  await writeFile(join(work, 'secrets.env'), 'PASSPHRASE=probe-pass\n');
  await chmod(join(work, 'secrets.env'), 0o600);
  // Where a target directory should be, a regular file.
  await writeFile(join(work, 'not-a-dir'), '');
});
afterAll(async () => removeDir(work));

async function backupTo(target: string): Promise<Awaited<ReturnType<typeof runLxcBackup>>> {
  const policy = join(work, 'policy.yaml');
  const lines = [
    'version: 1',
    `host_root: ${join(work, 'host')}`,
    `state_dir: ${join(work, 'state')}`,
    `secrets_file: ${join(work, 'secrets.env')}`,
    'defaults:',
    `  target: "${target}"`,
    '  target_probe_timeout: 5s',
  ];
  await writeFile(policy, `${lines.join('\n')}\n`);
  return runLxcBackup(['backup', 'web', '--direct', '--policy', policy]);
}

describe('a direct backup to a target that does not answer', () => {
  it.each([
    ['a file:// directory that is a file', () => `file://${work}/not-a-dir/{name}`, /expected a directory at \S+not-a-dir.*found a file/],
    ['an sftp server that refuses', () => 'sftp://backup@127.0.0.1:1/lxc/{name}', /cannot connect to 127\.0\.0\.1:1: ECONNREFUSED/],
  ])('fails in one line naming the target (%s), without starting duplicity', async (_what, target, why) => {
    const result = await backupTo(target());
    expect(result.code, result.err).toBe(1);
    const lines = result.err.split('\n').filter((line) => line !== '');
    expect(lines[0]).toMatch(/^web: target \S+ is unreachable: /);
    expect(lines[0]).toMatch(why);
    expect(result.err).not.toMatch(/backing up/);
  });
});
