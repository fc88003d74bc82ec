// The agent and its duplicity killed together mid-backup (SIGKILL, as a power cut or the OOM
// killer would): the backup's start was recorded before duplicity ran, so the restarted agent
// finds it, logs it, and re-queues it as resuming with no human step; duplicity resumes the
// set and the container restores whole.
import { randomBytes } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runLxcBackup } from '../support/cli.js';
import { treeManifest } from '../support/container-tree.js';
import { waitFor } from '../support/wait-for.js';
import { errorMessage } from '../../agent/core/error-message.js';
import {
  agentStatus,
  makeContainer,
  makeWorld,
  policyText,
  startAgent,
  writePolicy,
  type AgentProcess,
  type AgentWorld,
} from './agent-helpers.js';

let world: AgentWorld;
let agent: AgentProcess | undefined;

beforeEach(async () => {
  world = await makeWorld('crash-agent');
});
afterEach(async () => {
  await agent?.stop();
  agent = undefined;
  await world.remove();
});

// Every process below `root`, found through /proc (children first, so none is orphaned unseen).
async function descendants(root: number): Promise<number[]> {
  const parents = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const status = await readFile(`/proc/${entry}/status`, 'utf8').catch(() => '');
    const ppid = /^PPid:\s+(\d+)$/m.exec(status)?.[1];
    if (ppid) parents.set(Number(entry), Number(ppid));
  }
  const found: number[] = [];
  const walk = (pid: number): void => {
    for (const [child, parent] of parents) {
      if (parent !== pid) continue;
      walk(child);
      found.push(child);
    }
  };
  walk(root);
  return found;
}

const volumes = async (): Promise<string[]> =>
  (await readdir(join(world.target, 'web')).catch(() => [] as string[])).filter((f) => f.includes('.vol'));

describe('the agent killed with its duplicity', () => {
  it('finds the unfinished backup at its next start, re-queues it as resuming, and it completes', async () => {
    await makeContainer(world, 'web', 2);
    for (let i = 0; i < 12; i += 1) await writeFile(join(world.hostRoot, 'web', 'rootfs', `blob-${i}`), randomBytes(1024 * 1024));
    await writePolicy(world, policyText(world, { defaults: '  volsize: 1\n  compression: none' }));
    agent = await startAgent(world);
    await waitFor(async () => (await volumes()).length >= 2, 60_000, 'two volumes on the target', { intervalMs: 20 });
    const family = await descendants(agent.pid);
    expect(family.length).toBeGreaterThan(0);
    for (const pid of [agent.pid, ...family]) process.kill(pid, 'SIGKILL');
    await agent.exited;
    agent = undefined;
    const record = JSON.parse(await readFile(join(world.stateDir, 'running', 'web.json'), 'utf8')) as { action: string };
    expect(record.action).toBe('backup');

    agent = await startAgent(world);
    expect(agent.output()).toMatch(/web: its backup started at \S+ and never finished/);
    expect(agent.output()).toMatch(/resuming an interrupted backup/);
    await waitFor(async () => (await agentStatus(world)).containers[0]?.state === 'ok', 90_000, 'the resumed backup', {
      intervalMs: 250,
    }).catch(async (error: unknown) => {
      throw new Error(`${errorMessage(error)}: ${JSON.stringify(await agentStatus(world))}\n${agent!.output()}`);
    });
    expect(await readdir(join(world.stateDir, 'running'))).toEqual([]);
    const fulls = (await readdir(join(world.target, 'web'))).filter((f) => /^duplicity-full\..*\.manifest$/.test(f));
    expect(fulls).toHaveLength(1);
    await agent.stop();
    agent = undefined;

    const to = join(world.dir, 'restored');
    const restored = await runLxcBackup(['restore', 'web', '--to', to, '--policy', world.policyPath], world.env);
    expect(restored.code, restored.err).toBe(0);
    expect(await treeManifest(to)).toEqual(await treeManifest(join(world.hostRoot, 'web')));
  });
});
