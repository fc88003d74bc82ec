// Acceptance: a container created while the agent runs is backed up within settle + 5 s;
// removing it shows `orphaned` within 5 s and leaves its backups untouched.
import { execFile } from 'node:child_process';
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runLxcBackup } from '../support/cli.js';
import { waitFor } from '../support/wait-for.js';
import {
  agentStatus,
  makeContainer,
  makeWorld,
  policyText,
  REPO,
  startAgent,
  writePolicy,
  type AgentProcess,
  type AgentWorld,
} from './agent-helpers.js';

const run = promisify(execFile);
let world: AgentWorld;
let agent: AgentProcess | undefined;

beforeEach(async () => {
  world = await makeWorld('agent-life');
});
afterEach(async () => {
  await agent?.stop();
  agent = undefined;
  await world.remove();
});

async function targetListing(name: string): Promise<string[]> {
  const dir = join(world.target, name);
  const names = (await readdir(dir)).sort();
  return Promise.all(names.map(async (file) => `${file} ${(await stat(join(dir, file))).mtimeMs}`));
}

describe('agent lifecycle', () => {
  it('backs up a new container after settle and orphans it when removed, keeping its backups', async () => {
    await writePolicy(world, policyText(world));
    agent = await startAgent(world);
    const created = Date.now();
    await makeContainer(world, 'web', 5);
    await waitFor(async () => (await agentStatus(world)).containers.find((c) => c.name === 'web')?.state === 'ok', 6000, 'web backed up');
    const backedUpMs = Date.now() - created;
    const listing = await targetListing('web');
    expect(listing.some((line) => line.startsWith('duplicity-full.') && line.includes('.manifest'))).toBe(true);

    await rm(join(world.hostRoot, 'web'), { recursive: true });
    const removedAt = Date.now();
    await waitFor(
      async () => (await agentStatus(world)).containers.find((c) => c.name === 'web')?.state === 'orphaned',
      5000,
      'web orphaned',
    );
    const orphanedMs = Date.now() - removedAt;
    const row = (await agentStatus(world)).containers.find((c) => c.name === 'web')!;
    expect(row).toMatchObject({
      next_run: null,
      orphaned_since: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      last_success: expect.any(String),
    });
    expect(await targetListing('web')).toEqual(listing);
    console.log(`backed up ${backedUpMs} ms after creation (settle 1 s); orphaned after ${orphanedMs} ms`);

    // Reappearing under the same name continues: it is no longer orphaned.
    await makeContainer(world, 'web', 5);
    await waitFor(
      async () => (await agentStatus(world)).containers.find((c) => c.name === 'web')?.orphaned_since === null,
      6000,
      'web back',
    );
  });

  it('hands `lxc-backup backup NAME` to the running agent, which runs it', async () => {
    await writePolicy(world, policyText(world, { firstBackup: 'next_slot' }));
    await makeContainer(world, 'db', 3);
    agent = await startAgent(world);
    const before = (await agentStatus(world)).containers.find((c) => c.name === 'db');
    expect(before?.last_success).toBeNull();
    const cli = await runLxcBackup(['backup', 'db', '--policy', world.policyPath], world.env);
    expect(cli.code, cli.err).toBe(0);
    expect(cli.out).toContain('db: queued in the running agent');
    await waitFor(
      async () => (await agentStatus(world)).containers.find((c) => c.name === 'db')?.state === 'ok',
      15_000,
      'db backed up by the agent',
    );
    const unknown = await runLxcBackup(['backup', 'nope', '--policy', world.policyPath], world.env);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('nope: the agent knows no such container');
  });

  it('status without an agent says so on stderr and exits 2', async () => {
    const result = await run(process.execPath, ['--import', 'tsx', 'agent/main.ts', 'status', '--json'], {
      cwd: REPO,
      env: world.env,
    }).catch((error: { code: number; stderr: string; stdout: string }) => error);
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect((result as { stderr: string }).stderr).toMatch(/no agent is running/);
  });
});
