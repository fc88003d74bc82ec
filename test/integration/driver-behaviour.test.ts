// The driver's promises beyond a plain round trip, against real duplicity and a file:// target:
// retention deletes exactly the superseded chain, an interrupted backup resumes, one container
// never gets two duplicity processes, and restores fail cleanly.
import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLxcBackup } from '../support/cli.js';
import { treeManifest } from '../support/container-tree.js';
import { makeTempDir, removeDir } from '../support/temp.js';

let work: string;
let hostRoot: string;

beforeAll(async () => {
  work = await makeTempDir('driver');
  hostRoot = join(work, 'host');
  await mkdir(hostRoot);
});
afterAll(async () => removeDir(work));

// A policy of its own (state, target, secrets) for one test.
async function setup(
  name: string,
  extra = '',
  passphrase = 'behaviour-pass',
): Promise<{ policy: string; target: string; write(extra: string, pass?: string): Promise<void> }> {
  const dir = join(work, `case-${name}`);
  await mkdir(dir, { recursive: true });
  const target = join(dir, 'target');
  const policy = join(dir, 'policy.yaml');
  const write = async (more: string, pass = passphrase): Promise<void> => {
    const secrets = join(dir, 'secrets.env');
    await writeFile(secrets, `PASSPHRASE=${pass}\n`);
    await chmod(secrets, 0o600);
    await writeFile(
      policy,
      `version: 1\nhost_root: ${hostRoot}\nstate_dir: ${join(dir, 'state')}\nsecrets_file: ${secrets}\ndefaults:\n  target: "file://${target}/{name}"\n  exclude: ["rootfs/tmp/**"]\n${more}`,
    );
  };
  await write(extra);
  return { policy, target, write };
}

async function container(name: string, files: Record<string, string | Buffer> = {}): Promise<string> {
  const dir = join(hostRoot, name);
  await mkdir(join(dir, 'rootfs', 'etc'), { recursive: true });
  await writeFile(join(dir, 'config'), `lxc.uts.name = ${name}\nlxc.rootfs.path = dir:${dir}/rootfs\n`);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

async function manifests(target: string, name: string): Promise<string[]> {
  return (await readdir(join(target, name))).filter((file) => /\.manifest/.test(file)).sort();
}

describe('retention', () => {
  it('deletes exactly the older chain, with --force, and keeps the active one', async () => {
    await container('ret', { 'rootfs/etc/a': 'a' });
    // Backups apply retention too: keep everything while the two chains are made.
    const { policy, target, write } = await setup('ret', '  retention: { older_than: 1h }\n');
    expect((await runLxcBackup(['backup', 'ret', '--full', '--policy', policy])).code).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await runLxcBackup(['backup', 'ret', '--full', '--policy', policy])).code).toBe(0);
    const before = await manifests(target, 'ret');
    expect(before.filter((f) => f.startsWith('duplicity-full.'))).toHaveLength(2);
    await write('  retention: { older_than: 2s }\n');
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const prune = await runLxcBackup(['prune', 'ret', '--policy', policy]);
    expect(prune.code, prune.err).toBe(0);
    const after = await manifests(target, 'ret');
    expect(after).toEqual([before.at(-1)]);
    // A second prune finds a single chain (older than 2 s, but active) and leaves it.
    expect((await runLxcBackup(['prune', 'ret', '--policy', policy])).code).toBe(0);
    expect(await manifests(target, 'ret')).toEqual(after);
  });
});

describe('backup --all (direct)', () => {
  it('backs up every eligible container side by side and says why others are skipped', async () => {
    const root = join(work, 'all-host');
    await mkdir(root);
    for (const name of ['one', 'two', 'off', 'tmp-x']) {
      await mkdir(join(root, name, 'rootfs'), { recursive: true });
      await writeFile(join(root, name, 'config'), `lxc.uts.name = ${name}\n`);
      await writeFile(join(root, name, 'rootfs', 'f'), name);
    }
    const { policy, target } = await setup('all', `ignore: ["tmp-*"]\ncontainers:\n  "off": { enabled: false }\n`);
    await writeFile(policy, (await readFile(policy, 'utf8')).replace(`host_root: ${hostRoot}`, `host_root: ${root}`));
    const run = await runLxcBackup(['backup', '--all', '--direct', '--policy', policy]);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toMatch(/^one: ok/m);
    expect(run.out).toMatch(/^two: ok/m);
    expect(run.err).toContain('off: skipped (enabled: false)');
    expect(run.err).not.toContain('tmp-x');
    expect((await readdir(target)).sort()).toEqual(['one', 'two']);
  });
});

describe('interrupted backup', () => {
  it('resumes after duplicity is killed mid-backup, and the restore is identical', async () => {
    const dir = await container('big', {
      'rootfs/var/big1.bin': randomBytes(24 * 1024 * 1024),
      'rootfs/var/big2.bin': randomBytes(24 * 1024 * 1024),
    });
    const { policy, target } = await setup('big', '  volsize: 4\n');
    const running = runLxcBackup(['backup', 'big', '--policy', policy]);
    // Wait until a few volumes are on the target, then kill duplicity like a power cut would.
    let killed = false;
    for (let i = 0; i < 600 && !killed; i++) {
      const files = await readdir(join(target, 'big')).catch(() => [] as string[]);
      if (files.some((file) => /\.vol3\.difftar/.test(file))) {
        const { stdout } = await execa('pgrep', ['-f', '--', '--name=big']);
        for (const pid of stdout.split('\n').filter(Boolean)) process.kill(Number(pid), 'SIGKILL');
        killed = true;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(killed).toBe(true);
    const first = await running;
    expect(first.code).toBe(1);
    const resumed = await runLxcBackup(['backup', 'big', '--policy', policy]);
    expect(resumed.code, resumed.err).toBe(0);
    const restored = join(work, 'big-restored');
    expect((await runLxcBackup(['restore', 'big', '--to', restored, '--policy', policy])).code).toBe(0);
    expect(await treeManifest(restored)).toEqual(await treeManifest(dir));
  });
});

describe('one container, one duplicity', () => {
  it('never runs two duplicity processes on one archive: the second run says "already running"', async () => {
    await container('busy', { 'rootfs/var/data.bin': randomBytes(40 * 1024 * 1024) });
    const { policy } = await setup('busy', '  compression: best\n');
    const cli = (): Promise<{ exitCode?: number; stderr: string; stdout: string }> =>
      execa('node', ['--import', 'tsx', 'agent/main.ts', 'backup', 'busy', '--policy', policy], { reject: false, all: false });
    let maxAtOnce = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        // duplicity forks before it execs gpg, so a child briefly has its parent's command
        // line: count only the duplicity processes whose parent is not one of them.
        const { stdout } = await execa('ps', ['-eo', 'pid=,ppid=,args='], { reject: false });
        const rows = stdout
          .split('\n')
          .map((line) => line.trim().split(/\s+/))
          .filter((row) => /duplicity .*--name=busy/.test(row.slice(2).join(' ')));
        const pids = new Set(rows.map((row) => row[0]));
        maxAtOnce = Math.max(maxAtOnce, rows.filter((row) => !pids.has(row[1])).length);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    })();
    const results = await Promise.all([cli(), cli()]);
    sampling = false;
    await sampler;
    expect(maxAtOnce).toBe(1);
    const ok = results.filter((r) => r.exitCode === 0);
    const refused = results.filter((r) => r.exitCode !== 0);
    // Both start together and the backup takes seconds: one runs, the other is turned away.
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(1);
    for (const result of refused) expect(result.stderr).toMatch(/already running \(pid \d+\)/);
  });
});

describe('restore', () => {
  let policy: string;
  let target: string;
  let write: (extra: string, pass?: string) => Promise<void>;
  let source: string;

  beforeAll(async () => {
    source = await container('rs', { 'rootfs/etc/version': 'one\n', 'rootfs/etc/keep': 'k\n', 'rootfs/tmp/junk': 'j' });
    ({ policy, target, write } = await setup('rs'));
    expect((await runLxcBackup(['backup', 'rs', '--policy', policy])).code).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await writeFile(join(source, 'rootfs/etc/version'), 'two\n');
    expect((await runLxcBackup(['backup', 'rs', '--policy', policy])).code).toBe(0);
  });

  it('brings back an earlier point in time with --time', async () => {
    const list = JSON.parse((await runLxcBackup(['list', 'rs', '--json', '--policy', policy])).out) as {
      chains: Array<{ sets: Array<{ time: string }> }>;
    };
    const sets = list.chains[0]!.sets;
    expect(sets).toHaveLength(2);
    const out = join(work, 'rs-then');
    const restore = await runLxcBackup(['restore', 'rs', '--to', out, '--time', sets[0]!.time, '--policy', policy]);
    expect(restore.code, restore.err).toBe(0);
    expect(await readFile(join(out, 'rootfs/etc/version'), 'utf8')).toBe('one\n');
    const now = join(work, 'rs-now');
    expect((await runLxcBackup(['restore', 'rs', '--to', now, '--policy', policy])).code).toBe(0);
    expect(await readFile(join(now, 'rootfs/etc/version'), 'utf8')).toBe('two\n');
    // The excluded directory's contents are gone, the directory itself is kept.
    expect(await readdir(join(now, 'rootfs', 'tmp'))).toEqual([]);
  });

  it('restores one path into DIR/PATH', async () => {
    const out = join(work, 'rs-path');
    const restore = await runLxcBackup(['restore', 'rs', '--to', out, '--path', 'rootfs/etc', '--policy', policy]);
    expect(restore.code, restore.err).toBe(0);
    expect((await readdir(join(out, 'rootfs/etc'))).sort()).toEqual(['keep', 'version']);
    expect(await readdir(out)).toEqual(['rootfs']);
  });

  it('refuses a non-empty DIR without --force and replaces it with --force', async () => {
    const out = join(work, 'rs-busy');
    await mkdir(out);
    await writeFile(join(out, 'precious'), 'p');
    const refused = await runLxcBackup(['restore', 'rs', '--to', out, '--policy', policy]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/is not empty: choose an empty directory or add --force/);
    expect(await readdir(out)).toEqual(['precious']);
    const forced = await runLxcBackup(['restore', 'rs', '--to', out, '--force', '--policy', policy]);
    expect(forced.code, forced.err).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['config', 'rootfs']);
  });

  it('says "wrong passphrase" in one line and leaves no partial tree', async () => {
    await write('', 'not-the-passphrase');
    try {
      const out = join(work, 'rs-wrong');
      const restore = await runLxcBackup(['restore', 'rs', '--to', out, '--policy', policy]);
      expect(restore.code).toBe(1);
      expect(restore.err).toMatch(/wrong passphrase or key/);
      expect(restore.err).not.toContain('not-the-passphrase');
      expect(await readdir(work)).not.toContain('rs-wrong');
      expect((await readdir(work)).filter((entry) => entry.includes('restoring'))).toEqual([]);
    } finally {
      await write('');
    }
  });

  it('says there is no backup for a container never backed up', async () => {
    const out = join(work, 'never');
    const restore = await runLxcBackup(['restore', 'never-backed-up', '--to', out, '--policy', policy]);
    expect(restore.code).toBe(1);
    expect(restore.err).toMatch(/no backups found/);
    expect(await readdir(work)).not.toContain('never');
  });

  it('lists files relative to the container directory and verifies', async () => {
    const files = await runLxcBackup(['files', 'rs', '--policy', policy]);
    expect(files.code, files.err).toBe(0);
    expect(files.out).toMatch(/ rootfs\/etc\/version$/m);
    expect(files.out).toMatch(/ config$/m);
    expect(files.out).not.toContain('meta/');
    const verify = await runLxcBackup(['verify', 'rs', '--policy', policy]);
    expect(verify.code, verify.err).toBe(0);
    expect(target).toBeTruthy();
  });
});
