// Start-up recovery with the real agent: an unusable state.json (a directory) is set aside
// in one log line and rebuilt; a rebuild keeps removed containers that have backups, as
// orphaned and still pruned; duplicity temp directories left by killed runs are removed.
import { execa, type ResultPromise } from 'execa';
import { mkdir, readdir, readFile, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { requestAgent } from '../../agent/control/client.js';
import { cleanTempDir } from '../../agent/daemon/clean-temp.js';
import { makeTempDir, removeDir } from '../support/temp.js';
import { waitFor } from '../support/wait-for.js';
import {
  agentStatus,
  logLines,
  makeContainer,
  makeWorld,
  policyText,
  REPO,
  startAgent as startWith,
  writePolicy,
  type AgentProcess,
  type AgentWorld,
} from './agent-helpers.js';

let world: AgentWorld;
let buildDir: string;
let bundle: string;

// The built bundle, as installed: under tsx the agent cannot load its `?raw` imports.
beforeAll(async () => {
  buildDir = await makeTempDir('state-recovery-build');
  bundle = join(buildDir, 'lxc-backup.mjs');
  await execa('node', ['scripts/build.mjs'], { cwd: REPO, env: { ...process.env, LXC_BACKUP_BUILD_OUT: bundle } });
});
afterAll(async () => removeDir(buildDir));
const startAgent = (w: AgentWorld): Promise<AgentProcess> => startWith(w, 15_000, [bundle]);

let agent: AgentProcess | undefined;
let children: ResultPromise[] = [];

beforeEach(async () => {
  world = await makeWorld('state-recovery');
});
afterEach(async () => {
  await agent?.stop();
  agent = undefined;
  for (const child of children) child.kill('SIGKILL');
  await Promise.allSettled(children);
  children = [];
  await world.remove();
});

const STACK_LINE = /\n\s+at \S+ \(/;

describe('an unusable state.json', () => {
  it('that is a directory is moved aside with one warning (no stack trace) and rebuilt', async () => {
    await makeContainer(world, 'a');
    await mkdir(join(world.stateDir, 'state.json'), { recursive: true });
    await writeFile(join(world.stateDir, 'state.json', 'inside'), 'x');
    await writePolicy(world, policyText(world, { firstBackup: 'next_slot' }));
    agent = await startAgent(world);
    const warnings = logLines(agent).filter((line) => String(line.msg).includes('state file was corrupt or unusable'));
    expect(warnings, agent.output()).toEqual([
      expect.objectContaining({ level: 'warn', msg: expect.stringContaining('(expected a regular file, got a directory): moved to ') }),
    ]);
    expect(agent.output()).not.toMatch(STACK_LINE);
    const aside = (await readdir(world.stateDir)).filter((name) => name.startsWith('state.json.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(await readFile(join(world.stateDir, aside[0]!, 'inside'), 'utf8')).toBe('x');
    expect((await agentStatus(world)).containers).toEqual([expect.objectContaining({ name: 'a', state: 'pending' })]);
    await waitFor(
      async () => (await readFile(join(world.stateDir, 'state.json'), 'utf8').catch(() => '')).startsWith('{'),
      5000,
      'a new state.json',
    );
  });
});

describe('a state rebuild', () => {
  it('lists a removed container whose backups are in the cache as orphaned, still pruned', async () => {
    await makeContainer(world, 'kept');
    await makeContainer(world, 'removed');
    await writePolicy(world, policyText(world));
    agent = await startAgent(world);
    await waitFor(async () => (await agentStatus(world)).containers.filter((c) => c.state === 'ok').length === 2, 30_000, 'both backed up');
    await agent.stop();
    await rm(join(world.hostRoot, 'removed'), { recursive: true });
    await writeFile(join(world.stateDir, 'state.json'), 'not json at all');
    agent = await startAgent(world);
    const rebuilt = logLines(agent).find((line) => String(line.msg).startsWith('state rebuilt from the targets'));
    expect(rebuilt, agent.output()).toMatchObject({ containers: 1, orphaned: 1, with_backups: 2 });
    const removed = (await agentStatus(world)).containers.find((c) => c.name === 'removed');
    expect(removed, JSON.stringify(await agentStatus(world))).toMatchObject({
      state: 'orphaned',
      orphaned_since: expect.any(String),
      last_success: expect.any(String),
    });
    // Retention still covers it (removed_containers.prune, the default): `prune --all` takes it.
    const pruneAll = await requestAgent(world.socket, { type: 'prune', all: true }, { timeoutMs: 3000 });
    expect(pruneAll).toMatchObject({ ok: true, queued: expect.arrayContaining(['removed']) });
    await waitFor(
      () => logLines(agent!).some((l) => l.event === 'job-end' && l.action === 'prune' && l.container === 'removed'),
      20_000,
      'the prune of removed',
    );
  });
});

describe('duplicity temp directories left by killed runs', () => {
  it('are removed at agent start, without following links out of them', async () => {
    const tmp = join(world.stateDir, 'tmp');
    const left = join(tmp, 'duplicity-abc123-tempdir');
    await mkdir(left, { recursive: true });
    await writeFile(join(left, 'mktemp-vol-1'), Buffer.alloc(1024 * 1024, 1));
    const outside = join(world.dir, 'outside');
    await writeFile(outside, 'keep me');
    await symlink(outside, join(left, 'link'));
    const old = new Date(Date.now() - 3600_000);
    await utimes(left, old, old);
    await writePolicy(world, policyText(world, { firstBackup: 'next_slot' }));
    agent = await startAgent(world);
    expect(await readdir(tmp)).toEqual([]);
    expect(await readFile(outside, 'utf8')).toBe('keep me');
    const line = logLines(agent).find((l) => String(l.msg).startsWith('removed 1 leftover duplicity temp entry'));
    expect(line, agent.output()).toMatchObject({ removed: 1 });
    expect(Number(line?.bytes)).toBeGreaterThanOrEqual(1024 * 1024);
  });

  it('are left alone while a duplicity outside the agent uses the directory, and entries newer than the start are kept', async () => {
    const tmp = join(world.dir, 'tmp');
    await mkdir(join(tmp, 'duplicity-old-tempdir'), { recursive: true });
    const old = new Date(Date.now() - 3600_000);
    await utimes(join(tmp, 'duplicity-old-tempdir'), old, old);
    const user = execa('node', ['-e', 'setInterval(() => {}, 1000)', '--', `--tempdir=${tmp}`], { reject: false });
    children.push(user);
    await waitFor(
      async () => (await readFile(`/proc/${user.pid}/cmdline`, 'utf8').catch(() => '')).includes('--tempdir='),
      5000,
      'the fake duplicity',
    );
    expect(await cleanTempDir(tmp, new Date())).toEqual({ removed: 0, bytes: 0, inUseBy: user.pid });
    expect(await readdir(tmp)).toEqual(['duplicity-old-tempdir']);
    user.kill('SIGKILL');
    await user;
    await mkdir(join(tmp, 'duplicity-new-tempdir'));
    expect(await cleanTempDir(tmp, new Date(Date.now() - 60_000))).toEqual({ removed: 1, bytes: 0 });
    expect(await readdir(tmp)).toEqual(['duplicity-new-tempdir']);
  });
});
