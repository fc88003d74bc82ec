// Target ownership on a remote target (s3rver, through duplicity's own backend classes in
// marker-io.py): the second agent refuses a shared prefix and leaves the bucket unchanged;
// `adopt` takes it over; with `{host}` in the target two hosts never meet in one chain.
import { chmod, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLxcBackup } from '../support/cli.js';
import { startS3, type S3Server } from '../support/s3.js';
import { makeTempDir, removeDir } from '../support/temp.js';

let work: string;
let server: S3Server;
let hostRoot: string;
let secrets: string;
const envOf = { a: { LXC_BACKUP_HOST: 'host-a' }, b: { LXC_BACKUP_HOST: 'host-b' } };

beforeAll(async () => {
  work = await makeTempDir('target-owner-s3');
  server = await startS3();
  hostRoot = join(work, 'host');
  const dir = join(hostRoot, 'web');
  await mkdir(join(dir, 'rootfs', 'etc'), { recursive: true });
  await writeFile(join(dir, 'config'), `lxc.uts.name = web\nlxc.rootfs.path = dir:${dir}/rootfs\n`);
  await writeFile(join(dir, 'rootfs', 'etc', 'hostname'), 'web\n');
  secrets = join(work, 'secrets.env');
  await writeFile(secrets, `PASSPHRASE=owner-pass\nS3_SECRET=${server.secretAccessKey}\n`);
  await chmod(secrets, 0o600);
}, 60_000);
afterAll(async () => {
  await server?.stop();
  await removeDir(work);
});

async function policyFor(agent: 'a' | 'b', target: string): Promise<string> {
  const file = join(work, `policy-${agent}-${Math.random().toString(36).slice(2, 8)}.yaml`);
  await writeFile(
    file,
    `version: 1\nhost_root: ${hostRoot}\nstate_dir: ${join(work, `state-${agent}`)}\nsecrets_file: ${secrets}\n` +
      `defaults:\n  target: "${target}"\n  s3: { endpoint_url: "${server.endpoint}", region: us-east-1 }\n` +
      `  credentials: { aws_access_key_id: ${server.accessKeyId}, aws_secret_access_key: "\${S3_SECRET}" }\n`,
  );
  return file;
}

async function listing(dir: string): Promise<string[]> {
  const rows: string[] = [];
  for (const entry of await readdir(dir, { recursive: true })) {
    const info = await stat(join(dir, entry));
    rows.push(`${entry} ${info.size} ${info.mtimeMs}`);
  }
  return rows.sort();
}

describe('two agents, one S3 prefix', () => {
  it('the second refuses with the owner and changes nothing; adopt takes it over', async () => {
    const target = `boto3+s3://${server.bucket}/shared/{name}`;
    const a = await policyFor('a', target);
    const b = await policyFor('b', target);
    const first = await runLxcBackup(['backup', 'web', '--direct', '--policy', a], envOf.a);
    expect(first.code, first.err).toBe(0);

    const before = await listing(server.dir);
    expect(before.some((row) => row.includes('lxc-backup-owner.json'))).toBe(true);
    const refused = await runLxcBackup(['backup', 'web', '--direct', '--policy', b], envOf.b);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(`target boto3+s3://${server.bucket}/shared/web belongs to host-a/`);
    expect(await listing(server.dir)).toEqual(before);

    const adopted = await runLxcBackup(['adopt', 'web', '--policy', b], envOf.b);
    expect(adopted.code, adopted.err).toBe(0);
    expect(adopted.out).toContain('(before: host-a/');
    const second = await runLxcBackup(['backup', 'web', '--direct', '--policy', b], envOf.b);
    expect(second.code, second.err).toBe(0);
  }, 240_000);

  it('with {host} in the target each host gets its own chain', async () => {
    const target = `boto3+s3://${server.bucket}/hosts/{host}/{name}`;
    for (const agent of ['a', 'b'] as const) {
      const result = await runLxcBackup(['backup', 'web', '--direct', '--policy', await policyFor(agent, target)], envOf[agent]);
      expect(result.code, result.err).toBe(0);
    }
    const entries = await readdir(join(server.dir, server.bucket), { recursive: true });
    expect(entries.filter((e) => /^hosts\/host-[ab]\/web\/.*lxc-backup-owner\.json/.test(e)).map((e) => e.slice(0, 17))).toEqual(
      expect.arrayContaining(['hosts/host-a/web/', 'hosts/host-b/web/']),
    );
  }, 240_000);
});
