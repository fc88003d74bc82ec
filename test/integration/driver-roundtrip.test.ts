// Back up and restore one container through the real duplicity to file://, SFTP (a real sshd)
// and S3 (s3rver): the restore equals the source in every respect a container depends on.
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLxcBackup } from '../support/cli.js';
import { buildContainerTree, treeManifest } from '../support/container-tree.js';
import { watchCommandLines } from '../support/proc-watch.js';
import { startS3, type S3Server } from '../support/s3.js';
import { startSshd, type SftpServer } from '../support/sshd.js';
import { makeTempDir, removeDir } from '../support/temp.js';

const PASSPHRASE = 'round-trip-Passphrase-7f3a';

let work: string;
let sshd: SftpServer;
let s3: S3Server;
let sourceManifest: string[];

beforeAll(async () => {
  work = await makeTempDir('roundtrip');
  await mkdir(join(work, 'host'));
  await buildContainerTree(join(work, 'host', 'web'), join(work, 'outside-file'));
  // What a restore must equal: the source minus what the policy excludes.
  // (the excluded directory itself stays: `rootfs/tmp/**` leaves out only what it holds).
  sourceManifest = (await treeManifest(join(work, 'host', 'web'))).filter((line) => !line.includes('rootfs/tmp/'));
  [sshd, s3] = await Promise.all([startSshd(), startS3()]);
});

it('compares trees on everything that matters (the fixture really has it all)', () => {
  const text = sourceManifest.join('\n');
  for (const needle of [
    '"c","644"',
    '"b"',
    '"p"',
    '"/nonexistent/target"',
    '"4755"',
    '100123:100123',
    '"sparse"',
    'security.capability',
    'system.posix_acl_access',
    '"hardlinks"',
    'new\\nline',
    '-leading-dash',
    'ünïcødé',
  ]) {
    expect(text).toContain(needle);
  }
  expect(text).not.toContain('excluded-by-policy');
  expect(text).toContain('"rootfs/tmp","d"');
});

afterAll(async () => {
  await Promise.all([sshd?.stop(), s3?.stop()]);
  await removeDir(work);
});

async function writePolicy(name: string, targetYaml: string): Promise<string> {
  const dir = join(work, name);
  await mkdir(dir, { recursive: true });
  const secrets = join(dir, 'secrets.env');
  await writeFile(secrets, `PASSPHRASE=${PASSPHRASE}\nAWS_ID=${s3.accessKeyId}\nAWS_SECRET=${s3.secretAccessKey}\n`);
  await chmod(secrets, 0o600);
  const policy = join(dir, 'policy.yaml');
  await writeFile(
    policy,
    [
      'version: 1',
      `host_root: ${join(work, 'host')}`,
      `state_dir: ${join(dir, 'state')}`,
      `secrets_file: ${secrets}`,
      'defaults:',
      '  volsize: 1',
      '  exclude: ["rootfs/tmp/**"]',
      targetYaml,
    ].join('\n'),
  );
  return policy;
}

const targets: Array<[string, () => string]> = [
  ['file', () => `  target: "file://${join(work, 'file-target')}/{name}"`],
  [
    'sftp',
    () =>
      `  target: "sftp://${sshd.user}@${sshd.host}:${sshd.port}/${sshd.dir}/{name}"\n  sftp: { identity_file: ${sshd.identityFile}, known_hosts_file: ${sshd.knownHostsFile} }`,
  ],
  [
    's3',
    () =>
      `  target: "boto3+s3://${s3.bucket}/lxc/{name}"\n  s3: { endpoint_url: "${s3.endpoint}", region: us-east-1 }\n  credentials: { aws_access_key_id: "\${AWS_ID}", aws_secret_access_key: "\${AWS_SECRET}" }`,
  ],
];

describe.each(targets)('round trip to %s', (name, targetYaml) => {
  it('restores a container identical to the source, with no secret on any command line', async () => {
    const policy = await writePolicy(name, targetYaml());
    const watch = watchCommandLines(/duplicity/);
    const backup = await runLxcBackup(['backup', 'web', '--policy', policy]);
    const commandLines = await watch.stop();
    expect(backup.err + backup.out).toMatch(/web: ok/);
    expect(backup.code).toBe(0);
    expect(commandLines.length).toBeGreaterThan(0);
    for (const line of commandLines) {
      expect(line).not.toContain(PASSPHRASE);
      expect(line).not.toContain(s3.secretAccessKey);
    }
    expect(backup.out + backup.err).not.toContain(PASSPHRASE);

    const restored = join(work, `${name}-restored`);
    const restore = await runLxcBackup(['restore', 'web', '--to', restored, '--policy', policy]);
    expect(restore.out + restore.err).not.toContain(PASSPHRASE);
    expect(restore.code, restore.err).toBe(0);
    expect(await treeManifest(restored)).toEqual(sourceManifest);
    // The 3 MB file spans several 1 MB volumes.
    const list = await runLxcBackup(['list', 'web', '--json', '--policy', policy]);
    expect(list.code, list.err).toBe(0);
    const status = JSON.parse(list.out) as { chains: Array<{ sets: Array<{ type: string; volumes: number }> }> };
    expect(status.chains).toHaveLength(1);
    expect(status.chains[0]!.sets[0]).toMatchObject({ type: 'full' });
    expect(status.chains[0]!.sets[0]!.volumes).toBeGreaterThanOrEqual(3);
  });
});
