// gpg's key stretching as the policy sets it, on real duplicity and gpg: under `auto` a generated
// passphrase's files carry gpg's lowest S2K count and restore with nothing but the passphrase;
// under `full` they carry gpg's own count.
import { execa } from 'execa';
import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLxcBackup } from '../support/cli.js';
import { makeTempDir, removeDir } from '../support/temp.js';

// 32 bytes in base64, the shape scripts/provision generates (fixed: ~1 % of random ones are turned away).
const GENERATED = 'q3V8Lk0tR2mZf9Yx1bWc7NpJ4hGd6sEaTu5iOvHyQw8=';
let work: string;

beforeAll(async () => {
  work = await makeTempDir('key-stretching');
  for (const name of ['auto-ct', 'full-ct']) {
    await mkdir(join(work, 'host', name, 'rootfs', 'etc'), { recursive: true });
    await writeFile(join(work, 'host', name, 'config'), `lxc.uts.name = ${name}\n`);
    await writeFile(join(work, 'host', name, 'rootfs', 'etc', 'plan'), `the plan of ${name}\n`);
  }
  await writeFile(join(work, 'secrets.env'), `PASSPHRASE=${GENERATED}\n`);
  await chmod(join(work, 'secrets.env'), 0o600);
  await writeFile(
    join(work, 'policy.yaml'),
    [
      'version: 1',
      `host_root: ${join(work, 'host')}`,
      `state_dir: ${join(work, 'state')}`,
      `secrets_file: ${join(work, 'secrets.env')}`,
      'defaults:',
      `  target: "file://${join(work, 'target')}/{name}"`,
      '  retention: { older_than: null }',
      '  encryption: { mode: symmetric, passphrase: "${PASSPHRASE}", stretching: auto }',
      'containers:',
      '  full-ct:',
      '    encryption: { mode: symmetric, passphrase: "${PASSPHRASE}", stretching: full }',
      '',
    ].join('\n'),
  );
});
afterAll(async () => {
  await execa('gpgconf', ['--homedir', join(work, 'state', 'gnupg'), '--kill', 'gpg-agent'], { reject: false });
  await removeDir(work);
});

// The S2K counts in the symmetric-key packets of every file duplicity wrote for `name`.
async function s2kCounts(name: string): Promise<number[]> {
  const dir = join(work, 'target', name);
  const counts: number[] = [];
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.gpg'))) {
    const packets = await execa(
      'gpg',
      ['--list-packets', '--batch', '--pinentry-mode', 'loopback', '--passphrase-fd', '0', join(dir, file)],
      {
        input: GENERATED,
        env: { GNUPGHOME: join(work, 'state', 'gnupg') },
        reject: false,
      },
    );
    const match = /salt [0-9A-F]+, count (\d+)/.exec(packets.stdout);
    if (!match) throw new Error(`${file}: expected a symkey packet with an S2K count, got ${packets.stdout.slice(0, 300)}`);
    counts.push(Number(match[1]));
  }
  return counts;
}

describe('key stretching', () => {
  it('auto: a generated passphrase gets the lowest count, and the backup restores', async () => {
    const backup = await runLxcBackup(['backup', 'auto-ct', '--direct', '--policy', join(work, 'policy.yaml')]);
    expect(backup.code, backup.err).toBe(0);
    const counts = await s2kCounts('auto-ct');
    // Volume, signatures, manifest.
    expect(counts.length).toBeGreaterThanOrEqual(3);
    expect(new Set(counts)).toEqual(new Set([65536]));
    const to = join(work, 'restored');
    const restore = await runLxcBackup(['restore', 'auto-ct', '--to', to, '--policy', join(work, 'policy.yaml')]);
    expect(restore.code, restore.err).toBe(0);
    expect(await readFile(join(to, 'rootfs', 'etc', 'plan'), 'utf8')).toBe('the plan of auto-ct\n');
  });

  it("full: gpg's own count, for the same passphrase", async () => {
    const backup = await runLxcBackup(['backup', 'full-ct', '--direct', '--policy', join(work, 'policy.yaml')]);
    expect(backup.code, backup.err).toBe(0);
    const counts = await s2kCounts('full-ct');
    expect(counts.length).toBeGreaterThanOrEqual(3);
    for (const count of counts) expect(count).toBeGreaterThan(65536);
  });
});
