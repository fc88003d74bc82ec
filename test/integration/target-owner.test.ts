// Target ownership with real duplicity: two agents (two state_dirs) pointed at one file://
// target. The second refuses with the owner's name and leaves the target as it was; `adopt`
// hands the target over, and then the first is the one refused.
import { chmod, lstat, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLxcBackup } from '../support/cli.js';
import { makeTempDir, removeDir } from '../support/temp.js';

let work: string;
let target: string;
const policies: Record<'a' | 'b', string> = { a: '', b: '' };
const envOf = { a: { LXC_BACKUP_HOST: 'host-a' }, b: { LXC_BACKUP_HOST: 'host-b' } };

beforeAll(async () => {
  work = await makeTempDir('target-owner');
  const hostRoot = join(work, 'host');
  target = join(work, 'target');
  const dir = join(hostRoot, 'web');
  await mkdir(join(dir, 'rootfs', 'etc'), { recursive: true });
  await writeFile(join(dir, 'config'), `lxc.uts.name = web\nlxc.rootfs.path = dir:${dir}/rootfs\n`);
  await writeFile(join(dir, 'rootfs', 'etc', 'hostname'), 'web\n');
  // One passphrase for both, as when a container moves between hosts: the marker, not a
  // decryption error, is what must stop the second agent.
  const secrets = join(work, 'secrets.env');
  await writeFile(secrets, 'PASSPHRASE=owner-pass\n');
  await chmod(secrets, 0o600);
  for (const agent of ['a', 'b'] as const) {
    policies[agent] = join(work, `policy-${agent}.yaml`);
    const state = join(work, `state-${agent}`);
    await writeFile(
      policies[agent],
      `version: 1\nhost_root: ${hostRoot}\nstate_dir: ${state}\nsecrets_file: ${secrets}\ndefaults:\n  target: "file://${target}/{name}"\n`,
    );
  }
}, 60_000);
afterAll(async () => removeDir(work));

const run = (agent: 'a' | 'b', argv: string[]) => runLxcBackup([...argv, '--policy', policies[agent]], envOf[agent]);

// Every entry of the target with its size and mtime: what "nothing changed" is checked against.
async function snapshot(dir: string): Promise<string[]> {
  const rows: string[] = [];
  for (const name of (await readdir(dir)).sort()) {
    const info = await lstat(join(dir, name));
    rows.push(`${name} ${info.size} ${info.mtimeMs}`);
  }
  return rows;
}

describe('two agents, one target directory', () => {
  it('the first claims it, the second refuses with the owner, adopt hands it over', async () => {
    const first = await run('a', ['backup', 'web', '--direct']);
    expect(first.code, first.err).toBe(0);
    const marker = JSON.parse(await readFile(join(target, 'web', 'lxc-backup-owner.json'), 'utf8'));
    expect(marker).toMatchObject({ host: 'host-a', container: 'web' });
    expect(marker.adopted_existing_files).toBeUndefined();

    const before = await snapshot(join(target, 'web'));
    for (const verb of ['backup', 'prune']) {
      const refused = await run('b', [verb, 'web', '--direct']);
      expect(refused.code, `${verb}: ${refused.out}`).toBe(1);
      expect(refused.err).toContain(`target file://${target}/web belongs to host-a/`);
      expect(refused.err).toContain('refusing to write; if this container moved here, run `lxc-backup adopt web`');
    }
    expect(await snapshot(join(target, 'web'))).toEqual(before);

    const adopted = await run('b', ['adopt', 'web']);
    expect(adopted.code, adopted.err).toBe(0);
    expect(adopted.out).toMatch(/^web: target file:\/\/.* now belongs to host-b\/.* \(before: host-a\/.*\(created .*\)\)\n$/);
    const taken = JSON.parse(await readFile(join(target, 'web', 'lxc-backup-owner.json'), 'utf8'));
    expect(taken).toMatchObject({ host: 'host-b', previous: { host: 'host-a', owner_id: marker.owner_id } });

    const second = await run('b', ['backup', 'web', '--direct']);
    expect(second.code, second.err).toBe(0);
    // It continued A's chain: still one full on the target.
    expect((await readdir(join(target, 'web'))).filter((f) => /^duplicity-full\..*\.manifest\.gpg$/.test(f))).toHaveLength(1);
    const now = await run('a', ['backup', 'web', '--direct']);
    expect(now.code).toBe(1);
    expect(now.err).toContain(`belongs to host-b/`);
  }, 180_000);

  it('adopts a target with duplicity files and no marker silently, saying so in the marker', async () => {
    const dir = join(target, 'web');
    await rm(join(dir, 'lxc-backup-owner.json'));
    const result = await run('a', ['backup', 'web', '--direct']);
    expect(result.code, result.err).toBe(0);
    const marker = JSON.parse(await readFile(join(dir, 'lxc-backup-owner.json'), 'utf8'));
    expect(marker).toMatchObject({ host: 'host-a', adopted_existing_files: true });
  }, 120_000);
});
