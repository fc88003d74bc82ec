// The crash matrix (test/integration/crash-matrix.test.ts, crash-agent.test.ts) in a real
// provisioned backup container, so with the duplicity 3.0.x of Debian 13 rather than the host's
// 0.8.22. The backup container's own `lxc-backup backup NAME --direct` runs through lxc-attach
// with test/fixtures/crash on PYTHONPATH, and duplicity is SIGKILLed at each point of a full and
// of an incremental. After each kill: `list` marks the interrupted set, a plain restore gives the
// newest complete state, the next backup completes (a crashed incremental continues its chain),
// and a restore --time of the earlier backup still works. Then the agent's whole unit is killed
// mid-backup (systemctl kill -s KILL: every process of it), and systemd's restart resumes it.
// The agent never schedules on its own here: its policy disables every container but the one
// of the agent test, and the matrix uses a policy and state directory of its own.
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorMessage } from '../../agent/core/error-message.js';
import { treeManifest } from '../support/container-tree.js';
import { makeTempDir, removeDir } from '../support/temp.js';
import { waitFor } from '../support/wait-for.js';
import {
  agentJournal,
  agentStatus,
  attach,
  createBusybox,
  destroyAll,
  E2E_POLL_MS,
  E2E_WORK_PARENT,
  e2eSkipReason,
  lxcpath,
  mustRun,
  REPO,
  sh,
  uniquePrefix,
} from './lxc.js';
import { preparedCacheEnv } from './template-cache.js';

const skip = e2eSkipReason();
if (skip) console.warn(`e2e skipped: ${skip}`);

const POINTS = ['vol2', 'sigtar', 'sigtar-gz', 'manifest', 'after-manifest'] as const;
type Point = (typeof POINTS)[number];
const MiB = 1024 * 1024;
const prefix = uniquePrefix();
const agentCt = `${prefix}-agent`;
const killCt = `${prefix}-killed`;
// Inside the backup container: the hook, the matrix's policy and state.
const HOOK_DIR = '/opt/crash-hook';
const MATRIX_POLICY = '/etc/lxc-backup/crash-matrix.yaml';
let work = '';
let host = '';
let rootfs = '';
const output = (r: { stdout: unknown; stderr: unknown }): string => `${String(r.stdout)}\n${String(r.stderr)}`;

// Each container's target is a directory of its own below the mounted backups directory, so
// the hook's crash-at file (next to the target) is per case and cases can run side by side.
const policyText = (enabled: string, stateDir: string, settle: string): string =>
  [
    'version: 1',
    `state_dir: ${stateDir}`,
    'defaults:',
    '  enabled: false',
    '  target: "file:///var/backups/lxc/{name}/target"',
    // Once a year: the agent never runs a matrix job of its own.
    '  schedule: "0 0 1 1 *"',
    '  volsize: 1',
    '  compression: none',
    '  exclude: []',
    // Not the default nice 19: on a busy test machine that starves duplicity for minutes.
    '  priority: { nice: 0, io_class: none, io_level: 4 }',
    'containers:',
    `  "${enabled}": { enabled: true }`,
    `new_containers: { settle: ${settle}, first_backup: immediate }`,
    '',
  ].join('\n');

// Cases run a few at a time: more only makes each slower on a small machine.
let slots = 3;
const waiting: Array<() => void> = [];
async function inSlot<T>(body: () => Promise<T>): Promise<T> {
  if (slots > 0) slots--;
  else await new Promise<void>((resolve) => waiting.push(resolve));
  try {
    return await body();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else slots++;
  }
}

async function provision(args: string[]): Promise<void> {
  const result = await sh(join(REPO, 'scripts/provision'), args, { timeoutMs: 900_000, env: await preparedCacheEnv() });
  if (result.exitCode !== 0) throw new Error(`provision ${args.join(' ')} exited ${String(result.exitCode)}:\n${output(result)}`);
}

// The backup container's CLI with the matrix policy and the crash hook on duplicity's PYTHONPATH.
function cli(...argv: string[]): ReturnType<typeof sh> {
  const env = ['--set-var', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', '--set-var', `PYTHONPATH=${HOOK_DIR}`];
  return sh('lxc-attach', ['-n', agentCt, '--clear-env', ...env, '--', 'lxc-backup', ...argv, '--policy', MATRIX_POLICY], {
    timeoutMs: 300_000,
  });
}

const targetDir = (name: string): string => join(work, 'backups', name, 'target');
const manifests = async (name: string, kind: 'full' | 'inc'): Promise<string[]> =>
  (await readdir(targetDir(name))).filter((f) => f.startsWith(`duplicity-${kind}.`) && f.endsWith('.manifest.gpg')).sort();
const addData = async (name: string, tag: string, count: number): Promise<void> => {
  await mkdir(join(host, name, 'rootfs', 'data'), { recursive: true });
  for (let i = 0; i < count; i++) await writeFile(join(host, name, 'rootfs', 'data', `${tag}${i}`), randomBytes(MiB));
};

// Restores `name` (at `time`, else the newest complete backup) in the backup container and
// returns the restored tree, read on the host through the restore directory's mount.
async function restoredTree(name: string, label: string, time?: string): Promise<string[]> {
  const to = `${label}-${time ?? 'newest'}`;
  const restored = await cli('restore', name, '--to', `/var/lib/lxc-backup-restore/${to}`, ...(time ? ['--time', time] : []));
  expect(restored.exitCode, output(restored)).toBe(0);
  const tree = await treeManifest(join(work, 'restore', to));
  await rm(join(work, 'restore', to), { recursive: true, force: true });
  return tree;
}

// Fulls on the target once the next backup is done, as in crash-matrix.test.ts.
const fullsAfter = (kind: 'full' | 'inc', point: Point): number => (kind === 'full' ? (point === 'vol2' ? 1 : 2) : 1);

async function crashCase(kind: 'full' | 'inc', point: Point): Promise<void> {
  const name = `${prefix}-${kind}-${point}`;
  const started = Date.now();
  await createBusybox(name, work);
  // With busybox's 2 MB, every set has two volumes or more at volsize 1 (each point exists), and few
  // more: restores dominate the run time.
  await addData(name, 'a', 1);
  const first = await cli('backup', name, '--direct');
  expect(first.exitCode, output(first)).toBe(0);
  const earlier = await treeManifest(join(host, name));
  const earlierTime = (await manifests(name, 'full'))[0]!.split('.')[1]!;
  await new Promise((resolve) => setTimeout(resolve, 1100));
  await addData(name, 'b', 2);

  const crashAt = join(work, 'backups', name, 'crash-at');
  await writeFile(crashAt, point);
  const crashed = await cli('backup', name, '--direct', ...(kind === 'full' ? ['--full'] : []));
  await rm(crashAt);
  expect(crashed.exitCode, output(crashed)).toBe(1);
  expect(output(crashed)).toMatch(/SIGKILL/);

  const listedAfterCrash = await cli('list', name);
  expect(listedAfterCrash.exitCode, output(listedAfterCrash)).toBe(0);
  if (point === 'after-manifest') expect(String(listedAfterCrash.stdout)).not.toMatch(/incomplete/);
  else expect(String(listedAfterCrash.stdout)).toMatch(/ {2}incomplete: interrupted before its manifest was final/);

  const label = `${kind}-${point}`;
  const before = await restoredTree(name, `${label}-before`);
  expect(before).toEqual(point === 'after-manifest' ? await treeManifest(join(host, name)) : earlier);

  const next = await cli('backup', name, '--direct');
  expect(next.exitCode, output(next)).toBe(0);
  // 3.0.x, like 0.8.22, cuts the last redone file short when it resumes such an incremental.
  if (kind === 'inc' && point === 'manifest') expect(output(next)).toMatch(/discarded the incremental \S+ interrupted before its manifest/);
  const now = await treeManifest(join(host, name));
  expect(await manifests(name, 'full')).toHaveLength(fullsAfter(kind, point));

  const listed = await cli('list', name);
  expect(listed.exitCode, output(listed)).toBe(0);
  expect(await restoredTree(name, label)).toEqual(now);
  expect(await restoredTree(name, label, earlierTime)).toEqual(earlier);
  console.log(`crash-matrix-3x ${label}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

describe.skipIf(skip !== undefined)('the crash matrix with the backup container’s duplicity 3.x (real LXC)', () => {
  beforeAll(async () => {
    work = await makeTempDir('e2e-crash3x', E2E_WORK_PARENT);
    host = await lxcpath();
    const args = ['--name', agentCt, '--network', 'none', '--backups-dir', join(work, 'backups'), '--restore-dir', join(work, 'restore')];
    await provision([...args, '--no-start']);
    rootfs = join(host, agentCt, 'rootfs');
    // Written before the agent first starts, so it never sees the default policy. The agent waits
    // 15 s after the killed container appears: time to write its data before the backup starts.
    await writeFile(join(rootfs, 'etc/lxc-backup/policy.yaml'), policyText(killCt, '/var/lib/lxc-backup', '15s'));
    await writeFile(join(rootfs, MATRIX_POLICY.slice(1)), policyText(`${prefix}-*`, '/var/lib/lxc-backup-matrix', '1s'));
    await mkdir(join(rootfs, HOOK_DIR.slice(1)), { recursive: true });
    await copyFile(join(REPO, 'test/fixtures/crash/sitecustomize.py'), join(rootfs, HOOK_DIR.slice(1), 'sitecustomize.py'));
    // The second run starts the container, enables the unit and waits for the agent; it keeps the policy.
    await provision(args);
    const version = await attach(agentCt, ['duplicity', '--version']);
    console.log(`crash-matrix-3x: backup container runs ${String(version.stdout).trim()}`);
    expect(String(version.stdout)).toMatch(/^duplicity 3\.0\./);
  }, 1_200_000);

  afterAll(async () => {
    await destroyAll(prefix);
    if (work) await removeDir(work);
  }, 600_000);

  describe.concurrent.each(['full', 'inc'] as const)('a %s backup killed', (kind) => {
    it.each(POINTS)(
      'at %s: the next backup completes and every complete backup restores',
      (point) => inSlot(() => crashCase(kind, point)),
      900_000,
    );
  });

  // Beside the matrix: its own policy and state, and the agent never sees the matrix's hook.
  it.concurrent('the agent killed with its duplicity resumes the backup after systemd restarts it', async () => {
    await createBusybox(killCt, work);
    await addData(killCt, 'blob-', 12);
    const volumes = async (): Promise<number> =>
      (await readdir(targetDir(killCt)).catch(() => [] as string[])).filter((f) => f.includes('.vol')).length;
    await waitFor(async () => (await volumes()) >= 2, 240_000, 'two volumes on the target', { intervalMs: 50 });
    // Every process of the unit, the agent and its duplicity, at once.
    await mustRun('lxc-attach', ['-n', agentCt, '--', 'systemctl', 'kill', '--signal=SIGKILL', 'lxc-backup']);
    await waitFor(
      async () => (await agentStatus(agentCt))?.containers.find((c) => c.name === killCt)?.state === 'ok',
      300_000,
      'the resumed backup',
      { intervalMs: E2E_POLL_MS },
    ).catch(async (error: unknown) => {
      throw new Error(`${errorMessage(error)}\n${await agentJournal(agentCt)}`);
    });
    const journal = await agentJournal(agentCt);
    expect(journal).toMatch(new RegExp(`${killCt}: its backup started at \\S+ and never finished`));
    expect(journal).toMatch(/resuming an interrupted backup/);
    expect((await readdir(targetDir(killCt))).filter((f) => /^duplicity-full\..*\.manifest\.gpg$/.test(f))).toHaveLength(1);
    const to = '/var/lib/lxc-backup-restore/killed';
    const restored = await attach(agentCt, ['lxc-backup', 'restore', killCt, '--to', to], { timeoutMs: 300_000 });
    expect(restored.exitCode, output(restored)).toBe(0);
    expect(await treeManifest(join(work, 'restore', 'killed'))).toEqual(await treeManifest(join(host, killCt)));
  }, 900_000);
});
