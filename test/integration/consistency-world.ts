// Fixtures for the consistency tests: a private lxcpath with busybox guests (no network), the
// real host helper serving it (node --import tsx agent/helper/main.ts), a policy whose host_root
// is that lxcpath (the tests run where the helper does), and the real job runner.
import { execa } from 'execa';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { JobOutcome } from '../../agent/core/job.js';
import { createDuplicityJobRunner } from '../../agent/engine/duplicity-job-runner.js';
import { parsePolicy } from '../../agent/policy/parse.js';
import { runLxcBackup } from '../support/cli.js';
import { type FixtureProcess, startFixtureProcess } from '../support/fixture-process.js';
import { waitFor } from '../support/wait-for.js';
import { REPO } from './agent-helpers.js';

// A world: where the store, the helper's socket, the policy and the target are.
export interface ConsistencyWorld {
  dir: string;
  lxcpath: string;
  socket: string;
  policyPath: string;
  target: string;
  helper?: FixtureProcess;
}

// Runs a command and throws with its output when it fails.
export async function must(file: string, args: string[], timeoutMs = 120_000): Promise<string> {
  const result = await execa(file, args, { reject: false, timeout: timeoutMs, stdin: 'ignore', all: true });
  if (result.exitCode !== 0) throw new Error(`${file} ${args.join(' ')} exited ${String(result.exitCode)}: ${String(result.all)}`);
  return String(result.stdout);
}

// The world's layout under `dir` (lxcpath given: e.g. a mounted btrfs).
export async function makeConsistencyWorld(dir: string, lxcpath = join(dir, 'lxc')): Promise<ConsistencyWorld> {
  const world = {
    dir,
    lxcpath,
    socket: join(dir, 'helper', 'helper.sock'),
    policyPath: join(dir, 'policy.yaml'),
    target: join(dir, 'target'),
  };
  for (const sub of [lxcpath, join(dir, 'helper'), world.target]) await mkdir(sub, { recursive: true });
  return world;
}

// Starts the host helper for the world; its log lines (JSON on stderr) stay readable via output().
export async function startHelper(world: ConsistencyWorld, maxFreezeS = 30): Promise<FixtureProcess> {
  const args = ['--import', 'tsx', join(REPO, 'agent/helper/main.ts'), '--socket', world.socket, '--lxcpath', world.lxcpath];
  args.push(
    '--backup-container',
    'consistency-not-a-guest',
    '--state-dir',
    join(world.dir, 'helper-state'),
    '--max-freeze',
    String(maxFreezeS),
  );
  world.helper = await startFixtureProcess(process.execPath, args, { ready: /host helper listening/, timeoutMs: 30_000 });
  return world.helper;
}

// Writes the policy: the world's paths, no encryption, `defaults` lines appended to defaults.
export async function writePolicy(world: ConsistencyWorld, defaults: string[]): Promise<void> {
  const text = [
    'version: 1',
    `host_root: ${world.lxcpath}`,
    `state_dir: ${join(world.dir, 'state')}`,
    `secrets_file: ${join(world.dir, 'secrets.env')}`,
    `host_helper: ${world.socket}`,
    'defaults:',
    `  target: "file://${world.target}/{name}"`,
    '  encryption: { mode: none }',
    ...defaults.map((line) => `  ${line}`),
    '',
  ].join('\n');
  await writeFile(world.policyPath, text);
}

// One backup of `name` through the real job runner (what the agent and the CLI run).
export async function backup(world: ConsistencyWorld, name: string): Promise<JobOutcome> {
  const { policy, problems } = parsePolicy(await readFile(world.policyPath, 'utf8'), world.policyPath);
  if (!policy) throw new Error(`policy: ${JSON.stringify(problems)}`);
  return createDuplicityJobRunner(() => policy, process.env).run({ container: name, action: 'backup' });
}

// Restores `name`'s newest set into `to` (the container directory: config, rootfs).
export async function restore(world: ConsistencyWorld, name: string, to: string): Promise<void> {
  const result = await runLxcBackup(['restore', name, '--to', to, '--policy', world.policyPath]);
  if (result.code !== 0) throw new Error(`restore ${name}: exit ${result.code}: ${result.err}`);
}

// Creates a busybox guest (no network) in the world's lxcpath; `backing`: lxc-create -B.
export async function createGuest(world: ConsistencyWorld, name: string, backing = 'dir'): Promise<string> {
  const conf = join(world.dir, 'net-none.conf');
  await writeFile(conf, 'lxc.net.0.type = empty\n');
  await must('lxc-create', ['-P', world.lxcpath, '-n', name, '-B', backing, '-t', 'busybox', '-f', conf]);
  return join(world.lxcpath, name, 'rootfs');
}

// Adds a respawned init job to a guest's /etc/inittab (busybox init), e.g. a writer loop.
export async function addInitJob(rootfs: string, script: string, body: string): Promise<void> {
  await writeFile(join(rootfs, script), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  const inittab = join(rootfs, 'etc/inittab');
  await writeFile(inittab, `${await readFile(inittab, 'utf8')}::respawn:/bin/sh /${script.replace(/^\//, '')}\n`);
}

// The guest's run state (RUNNING, FROZEN, STOPPED, …).
export async function guestState(world: ConsistencyWorld, name: string): Promise<string> {
  return (await must('lxc-info', ['-P', world.lxcpath, '-n', name, '-s', '-H'])).trim();
}

// The guest's cgroup v1 freezer state (THAWED, FREEZING, FROZEN): the helper freezes through
// it, and lxc-info then keeps saying RUNNING.
export async function freezerState(world: ConsistencyWorld, name: string): Promise<string> {
  return (await must('lxc-cgroup', ['-P', world.lxcpath, '-n', name, 'freezer.state'])).trim();
}

// Starts a guest and waits until it runs.
export async function startGuest(world: ConsistencyWorld, name: string): Promise<void> {
  await must('lxc-start', ['-P', world.lxcpath, '-n', name, '-d']);
  await waitFor(async () => (await guestState(world, name)) === 'RUNNING', 30_000, `${name} RUNNING`, { intervalMs: 200 });
}

// Stops (kill) and destroys a guest; never throws (cleanup).
export async function destroyGuest(world: ConsistencyWorld, name: string): Promise<void> {
  await execa('lxc-cgroup', ['-P', world.lxcpath, '-n', name, 'freezer.state', 'THAWED'], { reject: false });
  await execa('lxc-stop', ['-P', world.lxcpath, '-n', name, '-k'], { reject: false, timeout: 60_000 });
  await execa('lxc-destroy', ['-P', world.lxcpath, '-n', name], { reject: false, timeout: 120_000 });
}
