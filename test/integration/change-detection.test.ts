// Change detection with real duplicity: a scheduled backup of an unchanged container starts no
// duplicity process; every kind of change (one byte with mtime put back, rename, delete, chmod,
// xattr, a new empty directory) is detected, backed up and restored; an exclude edit, a lost
// archive cache, a due full and max_unchanged each force a real backup.
import { execa } from 'execa';
import { chmod, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobOutcome } from '../../agent/core/job.js';
import { createDuplicityJobRunner } from '../../agent/engine/duplicity-job-runner.js';
import { readPolicy } from '../../agent/policy/load.js';
import type { Policy } from '../../agent/policy/schema.js';
import { runLxcBackup } from '../support/cli.js';
import { makeTempDir, removeDir } from '../support/temp.js';

const NAME = 'fastpath-ct';
let work: string;
let dir: string;
let policyFile: string;
let policy: Policy;
let countFile: string;
const savedPath = process.env.PATH;
const runner = createDuplicityJobRunner(() => policy, {});
const r = (p: string): string => join(dir, 'rootfs', p);

// The settle margin (SETTLE_SECONDS) plus a little: a change this old lets the next record settle.
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 4_200));

async function writePolicy(extra = ''): Promise<void> {
  await writeFile(
    policyFile,
    `version: 1\nhost_root: ${join(work, 'host')}\nstate_dir: ${join(work, 'state')}\nsecrets_file: ${join(work, 'secrets.env')}\n` +
      `defaults:\n  target: "file://${join(work, 'target')}/{name}"\n  compression: none\n  retention: { older_than: null }\n${extra}`,
  );
  const read = await readPolicy(policyFile);
  if (!read.policy) throw new Error(`test policy invalid: ${JSON.stringify(read)}`);
  policy = read.policy;
}

// duplicity processes started so far (the wrapper on PATH appends a line per start).
const spawns = async (): Promise<number> => (await readFile(countFile, 'utf8').catch(() => '')).split('\n').filter(Boolean).length;

async function scheduled(): Promise<{ outcome: JobOutcome; started: number }> {
  const before = await spawns();
  const outcome = await runner.run({ container: NAME, action: 'backup', scheduled: true });
  expect(outcome.ok, outcome.failure?.message).toBe(true);
  return { outcome, started: (await spawns()) - before };
}

async function expectUnchanged(): Promise<void> {
  const { outcome, started } = await scheduled();
  expect(outcome.ranBecause).toBeUndefined();
  expect(outcome.unchanged).toBe(true);
  expect(started).toBe(0);
}

async function expectReal(): Promise<JobOutcome> {
  const { outcome, started } = await scheduled();
  expect(outcome.unchanged).toBeUndefined();
  expect(started).toBeGreaterThan(0);
  return outcome;
}

async function restored(): Promise<string> {
  const to = join(work, `restore-${Date.now()}`);
  const result = await runLxcBackup(['restore', NAME, '--to', to, '--policy', policyFile]);
  expect(result.code, result.err).toBe(0);
  return join(to, 'rootfs');
}

beforeAll(async () => {
  work = await makeTempDir('fastpath-change');
  dir = join(work, 'host', NAME);
  policyFile = join(work, 'policy.yaml');
  countFile = join(work, 'duplicity-starts');
  await writeFile(join(work, 'secrets.env'), 'PASSPHRASE=change-pass\n', { mode: 0o600 });
  // A counting duplicity first on PATH, in Python so the agent still finds duplicity's Python from its #! line.
  const bin = join(work, 'bin');
  await mkdir(bin);
  const python = (await readFile('/usr/bin/duplicity', 'utf8')).split('\n')[0];
  await writeFile(
    join(bin, 'duplicity'),
    `${python}\nimport os, sys\nwith open(${JSON.stringify(countFile)}, 'a') as f:\n    f.write(' '.join(sys.argv[1:2]) + '\\n')\nos.execv('/usr/bin/duplicity', ['/usr/bin/duplicity'] + sys.argv[1:])\n`,
    { mode: 0o755 },
  );
  process.env.PATH = `${bin}:${savedPath}`;
  await mkdir(r('data/sub'), { recursive: true });
  await mkdir(r('tmp'), { recursive: true });
  await writeFile(join(dir, 'config'), `lxc.uts.name = ${NAME}\nlxc.rootfs.path = dir:${dir}/rootfs\n`);
  await writeFile(r('data/a.txt'), 'hello, world\n');
  await writeFile(r('data/b.txt'), 'to be renamed\n');
  await writeFile(r('data/c.txt'), 'to be deleted\n');
  await writeFile(r('data/sub/d.txt'), 'mode changes\n');
  await writePolicy();
  await settle();
  await expectReal();
});

afterAll(async () => {
  process.env.PATH = savedPath;
  await removeDir(work);
});

describe('a scheduled backup of an unchanged container', () => {
  it('is unchanged and starts no duplicity, also when only an excluded path changed', async () => {
    await expectUnchanged();
    await writeFile(r('tmp/scratch'), 'excluded\n');
    await rm(r('tmp/scratch'));
    // rootfs/tmp's own mtime moved (the backup holds the directory): that is a change.
    await settle();
    await expectReal();
    await expectUnchanged();
  });

  it('reads ok (unchanged) in state and is a success', async () => {
    const { outcome } = await scheduled();
    expect(outcome).toMatchObject({ ok: true, unchanged: true });
    expect(outcome.chain?.chains).toBe(1);
  });

  it('runs duplicity when it was asked for (not scheduled) even though nothing changed', async () => {
    const before = await spawns();
    const outcome = await runner.run({ container: NAME, action: 'backup' });
    expect(outcome.ok).toBe(true);
    expect(outcome.unchanged).toBeUndefined();
    expect(await spawns()).toBeGreaterThan(before);
    await expectUnchanged();
  });
});

describe('each change is detected, backed up and restored', () => {
  it('one byte changed, same size, mtime put back (only ctime moves)', async () => {
    await expectUnchanged();
    const file = r('data/a.txt');
    const { mtime } = await stat(file);
    await writeFile(file, 'hello, World\n');
    await execa('touch', ['-d', mtime.toISOString(), file]);
    expect((await stat(file)).mtime.getTime()).toBe(mtime.getTime());
    await settle();
    const outcome = await expectReal();
    expect(outcome.ranBecause).toBe('the container changed (1 file(s) with a new ctime but an old mtime)');
    // duplicity's incremental compares mode and mtime only, so it keeps the old bytes (its limit,
    // with or without change detection); a full reads every file and has the new ones.
    expect(await readFile(join(await restored(), 'data/a.txt'), 'utf8')).toBe('hello, world\n');
    const full = await runner.run({ container: NAME, action: 'backup', full: true });
    expect(full.ok, full.failure?.message).toBe(true);
    expect(await readFile(join(await restored(), 'data/a.txt'), 'utf8')).toBe('hello, World\n');
  });

  it('a rename', async () => {
    await expectUnchanged();
    await rename(r('data/b.txt'), r('data/b-renamed.txt'));
    await settle();
    await expectReal();
    const names = await readdir(join(await restored(), 'data'));
    expect(names).toContain('b-renamed.txt');
    expect(names).not.toContain('b.txt');
  });

  it('a delete', async () => {
    await expectUnchanged();
    await rm(r('data/c.txt'));
    await settle();
    await expectReal();
    expect(await readdir(join(await restored(), 'data'))).not.toContain('c.txt');
  });

  it('a chmod', async () => {
    await expectUnchanged();
    await chmod(r('data/sub/d.txt'), 0o600);
    await settle();
    await expectReal();
    expect((await stat(join(await restored(), 'data/sub/d.txt'))).mode & 0o777).toBe(0o600);
  });

  it('an xattr change', async () => {
    await expectUnchanged();
    await execa('setfattr', ['-n', 'user.colour', '-v', 'blue', r('data/sub/d.txt')]);
    await settle();
    await expectReal();
    const { stdout } = await execa('getfattr', ['-n', 'user.colour', '--only-values', join(await restored(), 'data/sub/d.txt')]);
    expect(stdout).toBe('blue');
  });

  it('a new empty directory', async () => {
    await expectUnchanged();
    await mkdir(r('data/empty'));
    await settle();
    await expectReal();
    expect((await stat(join(await restored(), 'data/empty'))).isDirectory()).toBe(true);
  });
});

describe('what forces a real backup of an unchanged container', () => {
  it('an exclude edit in the policy', async () => {
    await expectUnchanged();
    await writePolicy('  exclude: [rootfs/tmp/**, rootfs/data/sub/**]\n');
    await expectReal();
    await expectUnchanged();
    await writePolicy();
    await expectReal();
  });

  it('a deleted archive cache', async () => {
    await expectUnchanged();
    await rm(join(work, 'state', 'cache', NAME), { recursive: true, force: true });
    await expectReal();
    await expectUnchanged();
  });

  it('a due full (full_every)', async () => {
    await expectUnchanged();
    await writePolicy('  full_every: 1s\n');
    const fulls = async (): Promise<number> =>
      (await readdir(join(work, 'target', NAME))).filter((f) => /^duplicity-full\..*\.manifest/.test(f)).length;
    const before = await fulls();
    await expectReal();
    expect(await fulls()).toBe(before + 1);
    await writePolicy();
  });

  it('max_unchanged reached', async () => {
    await expectUnchanged();
    await writePolicy('  max_unchanged: 2s\n');
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    await expectReal();
    await writePolicy();
    await expectUnchanged();
  });
});
