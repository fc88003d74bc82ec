// The real CLI against hostile guest data and unsafe secrets files, with real duplicity
// (issue 12): `files` escapes file names (finding 8), `backup --direct` and `policy check`
// refuse a secrets file that is group/other-readable, a symlink or not root's (finding 7),
// and `backup --all` leaves a glob-named container out of everything (finding 9).
import { execa } from 'execa';
import { chmod, chown, mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runLxcBackup } from '../support/cli.js';
import { makeTempDir, removeDir } from '../support/temp.js';

const EVIL = 'evil\x1b[2J\nThu Jan  1 00:00:00 2026 fake-entry';

let work: string;
let hostRoot: string;
let policy: string;
let secrets: string;
let target: string;
let env: NodeJS.ProcessEnv;

beforeEach(async () => {
  work = await makeTempDir('guest-cli');
  hostRoot = join(work, 'host');
  target = join(work, 'target');
  secrets = join(work, 'secrets.env');
  policy = join(work, 'policy.yaml');
  env = { LXC_BACKUP_SOCKET: join(work, 'agent.sock') };
  await mkdir(hostRoot);
  await writeFile(secrets, 'PASSPHRASE=guest-cli-pass\n', { mode: 0o600 });
  await writeFile(
    policy,
    `version: 1\nhost_root: ${hostRoot}\nstate_dir: ${join(work, 'state')}\nsecrets_file: ${secrets}\ndefaults:\n  target: "file://${target}/{name}"\n`,
  );
});
afterEach(async () => removeDir(work));

async function container(name: string, files: Record<string, string> = {}): Promise<void> {
  const dir = join(hostRoot, name);
  await mkdir(join(dir, 'rootfs', 'etc'), { recursive: true });
  await writeFile(join(dir, 'config'), `lxc.uts.name = web\nlxc.rootfs.path = dir:/var/lib/lxc/${name}/rootfs\n`);
  for (const [path, content] of Object.entries(files)) await writeFile(join(dir, 'rootfs', path), content);
}

describe('files', () => {
  it('escapes a file name holding an escape sequence and a newline; --json keeps the exact name', async () => {
    await container('web', { 'etc/hosts': 'x', [EVIL]: 'y' });
    const backup = await runLxcBackup(['backup', '--direct', 'web', '--policy', policy], env);
    expect(backup.code, backup.err).toBe(0);
    const text = await runLxcBackup(['files', 'web', '--policy', policy], env);
    expect(text.code, text.err).toBe(0);
    expect(text.out).not.toContain('\x1b');
    const lines = text.out.trimEnd().split('\n');
    // ., rootfs, rootfs/etc, rootfs/etc/hosts, rootfs/<evil>, config: no line made up by the newline.
    expect(lines).toHaveLength(6);
    expect(lines.some((line) => line.endsWith('  rootfs/evil\\x1b[2J\\nThu Jan  1 00:00:00 2026 fake-entry'))).toBe(true);
    expect(lines.filter((line) => line.includes('fake-entry'))).toHaveLength(1);
    const json = await runLxcBackup(['files', 'web', '--json', '--policy', policy], env);
    expect(json.out).not.toContain('\x1b');
    const paths = (JSON.parse(json.out) as Array<{ path: string }>).map((file) => file.path);
    expect(paths).toContain(`rootfs/${EVIL}`);
    expect(paths.filter((path) => path.includes('fake-entry'))).toHaveLength(1);
  });
});

describe('secrets file', () => {
  // How each unsafe file is made, and what the refusal says.
  const UNSAFE: Array<[string, () => Promise<void>, RegExp]> = [
    [
      'mode 0644',
      () => chmod(secrets, 0o644),
      /secrets\.env: expected mode 0600 owned by root, got 0644 owner 0: run chmod 600 \S+secrets\.env; chown root:root \S+secrets\.env/,
    ],
    ['mode 0640', () => chmod(secrets, 0o640), /expected mode 0600 owned by root, got 0640 owner 0: run chmod 600/],
    [
      'owner 1000',
      () => chown(secrets, 1000, 1000),
      /expected mode 0600 owned by root, got 0600 owner 1000: run chmod 600 \S+; chown root:root/,
    ],
    [
      'a symlink to a good file',
      async () => {
        await writeFile(join(work, 'real.env'), 'PASSPHRASE=guest-cli-pass\n', { mode: 0o600 });
        await execa('rm', [secrets]);
        await symlink(join(work, 'real.env'), secrets);
      },
      /secrets\.env: expected a regular file, got a symlink/,
    ],
  ];

  it.each(UNSAFE)('backup --direct refuses a secrets file with %s, before duplicity runs', async (_, make, message) => {
    await container('web', { 'etc/hosts': 'x' });
    await make();
    const result = await runLxcBackup(['backup', '--direct', 'web', '--policy', policy], env);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(message);
    expect(result.err).not.toContain('guest-cli-pass');
    expect(await readdir(target).catch(() => [])).toEqual([]);
  });

  it.each(UNSAFE)('policy check and files refuse a secrets file with %s', async (_, make, message) => {
    await make();
    const check = await runLxcBackup(['policy', 'check', policy], env);
    expect(check.code).toBe(1);
    expect(check.err).toMatch(message);
    const files = await runLxcBackup(['files', 'web', '--policy', policy], env);
    expect(files.code).toBe(2);
    expect(files.err).toMatch(message);
  });

  it("accepts the same file once it is 0600 and root's", async () => {
    await container('web', { 'etc/hosts': 'x' });
    await chmod(secrets, 0o644);
    expect((await runLxcBackup(['backup', '--direct', 'web', '--policy', policy], env)).code).toBe(1);
    await chmod(secrets, 0o600);
    const result = await runLxcBackup(['backup', '--direct', 'web', '--policy', policy], env);
    expect(result.code, result.err).toBe(0);
  });
});

describe('container names', () => {
  it('backup --all backs up web only: "web*" is skipped with the reason and selects nothing', async () => {
    await container('web', { 'etc/hosts': 'x' });
    await container('web-2', { 'etc/hosts': 'y' });
    await container('web*', { 'etc/hosts': 'z' });
    const result = await runLxcBackup(['backup', '--direct', '--all', '--policy', policy], env);
    expect(result.code, result.err).toBe(0);
    expect(result.err).toMatch(/web\*: skipped \(container name "web\*" is not supported/);
    expect((await readdir(target)).sort()).toEqual(['web', 'web-2']);
    const named = await runLxcBackup(['backup', '--direct', 'web*', '--policy', policy], env);
    expect(named.code).toBe(1);
    expect(named.err).toMatch(/container name "web\*" is not supported/);
    expect((await readdir(target)).sort()).toEqual(['web', 'web-2']);
  });
});
