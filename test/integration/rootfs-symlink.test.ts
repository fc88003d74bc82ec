// A rootfs that is (or is reached through) a symlink is `unsupported` with the reason, and a
// backup of it fails instead of storing one link and reporting ok.
import { chmod, mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuplicityJobRunner } from '../../agent/engine/duplicity-job-runner.js';
import { scanHostRoot } from '../../agent/discovery/scan.js';
import { readPolicy } from '../../agent/policy/load.js';
import { runLxcBackup } from '../support/cli.js';
import { makeTempDir, removeDir } from '../support/temp.js';

let work: string;
let hostRoot: string;
let policy: string;
let target: string;

async function container(name: string, shape: 'real' | 'linked' | 'linked-parent'): Promise<void> {
  const dir = join(hostRoot, name);
  const elsewhere = join(work, 'elsewhere', name);
  await mkdir(join(elsewhere, 'etc'), { recursive: true });
  await writeFile(join(elsewhere, 'etc', 'hostname'), `${name}\n`);
  await mkdir(dir, { recursive: true });
  let rootfsPath = `/var/lib/lxc/${name}/rootfs`;
  if (shape === 'real') await mkdir(join(dir, 'rootfs', 'etc'), { recursive: true });
  if (shape === 'linked') await symlink(elsewhere, join(dir, 'rootfs'));
  if (shape === 'linked-parent') {
    await symlink(join(work, 'elsewhere'), join(dir, 'volumes'));
    rootfsPath = `/var/lib/lxc/${name}/volumes/${name}`;
  }
  await writeFile(join(dir, 'config'), `lxc.uts.name = ${name}\nlxc.rootfs.path = dir:${rootfsPath}\n`);
}

beforeAll(async () => {
  work = await makeTempDir('rootfs-link');
  hostRoot = join(work, 'host');
  target = join(work, 'target');
  await mkdir(hostRoot);
  const secrets = join(work, 'secrets.env');
  await writeFile(secrets, 'PASSPHRASE=link-pass\n');
  await chmod(secrets, 0o600);
  policy = join(work, 'policy.yaml');
  await writeFile(
    policy,
    `version: 1\nhost_root: ${hostRoot}\nstate_dir: ${join(work, 'state')}\nsecrets_file: ${secrets}\ndefaults:\n  target: "file://${target}/{name}"\n`,
  );
  await container('plain', 'real');
  await container('linked', 'linked');
  await container('viaparent', 'linked-parent');
});
afterAll(async () => removeDir(work));

describe('a symlinked rootfs', () => {
  it('makes discovery report the container unsupported with the link named', async () => {
    const found = Object.fromEntries((await scanHostRoot(hostRoot)).map((info) => [info.name, info]));
    expect(found.plain).toMatchObject({ rootfs: join(hostRoot, 'plain', 'rootfs') });
    expect(found.plain?.unsupported).toBeUndefined();
    expect(found.linked).toMatchObject({
      utsName: 'linked',
      unsupported: `rootfs ${join(hostRoot, 'linked', 'rootfs')} is reached through a symlink (${join(hostRoot, 'linked', 'rootfs')}): only a real directory inside the container directory is backed up`,
    });
    expect(found.linked?.rootfs).toBeUndefined();
    expect(found.viaparent?.unsupported).toContain(`is reached through a symlink (${join(hostRoot, 'viaparent', 'volumes')})`);
  });

  it('is refused by backup --direct, and nothing reaches the target', async () => {
    const result = await runLxcBackup(['backup', 'linked', '--direct', '--policy', policy]);
    expect(result.code).toBe(1);
    expect(result.err).toContain('is reached through a symlink');
    expect(await readdir(target).catch(() => [])).toEqual([]);
  });

  it('fails a job that reaches the driver anyway (a rootfs swapped after discovery)', async () => {
    const parsed = await readPolicy(policy);
    if (!parsed.policy) throw new Error(`expected a valid test policy, got ${JSON.stringify(parsed)}`);
    const loaded = parsed.policy;
    const outcome = await createDuplicityJobRunner(() => loaded, process.env).run({ container: 'linked', action: 'backup' });
    expect(outcome).toMatchObject({
      ok: false,
      failure: { kind: 'permanent', message: expect.stringContaining('is reached through a symlink') },
    });
    expect(await readdir(target).catch(() => [])).toEqual([]);
  });
});
