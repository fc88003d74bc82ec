// Acceptance: SIGTERM during a backup: exit 0 within the grace period; after a restart the
// interrupted backup runs again, completes and restores identically (plain duplicity).
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '../support/wait-for.js';
import {
  agentStatus,
  logLines,
  makeContainer,
  makeWorld,
  policyText,
  startAgent,
  writePolicy,
  type AgentProcess,
  type AgentWorld,
} from './agent-helpers.js';

const run = promisify(execFile);
// The runner's grace between SIGTERM and SIGKILL to duplicity (agent/engine/run-duplicity.ts).
const GRACE_MS = 30_000;
let world: AgentWorld;
let agent: AgentProcess | undefined;

beforeEach(async () => {
  world = await makeWorld('agent-stop');
});
afterEach(async () => {
  await agent?.stop();
  agent = undefined;
  await world.remove();
});

describe('shutdown', () => {
  it('exits 0 on SIGTERM during a backup and resumes it after restart', async () => {
    await makeContainer(world, 'big', 2);
    // Incompressible data so the backup is still running when the signal arrives.
    for (let i = 0; i < 6; i += 1) await writeFile(join(world.hostRoot, 'big', 'rootfs', `blob-${i}`), randomBytes(16 * 1024 * 1024));
    await writePolicy(world, policyText(world, { defaults: '  volsize: 5' }));
    agent = await startAgent(world);
    await waitFor(async () => (await agentStatus(world)).containers[0]?.state === 'running', 10_000, 'the backup to run');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const signalled = Date.now();
    const code = await agent.stop(GRACE_MS + 5000);
    const stopMs = Date.now() - signalled;
    expect(code).toBe(0);
    expect(stopMs).toBeLessThan(GRACE_MS);
    const ended = logLines(agent).find((line) => line.event === 'job-end');
    expect(ended, agent.output()).toMatchObject({ container: 'big', outcome: 'interrupted' });
    expect(agent.output()).toMatch(/agent stopped, state written/);

    agent = await startAgent(world);
    expect(agent.output()).toMatch(/resuming an interrupted backup/);
    await waitFor(async () => (await agentStatus(world)).containers[0]?.state === 'ok', 90_000, 'the resumed backup', {
      intervalMs: 250,
    }).catch(async (error: Error) => {
      throw new Error(`${error.message}: ${JSON.stringify(await agentStatus(world))}\n${agent!.output()}`);
    });
    const restored = join(world.dir, 'restored');
    await run(
      'duplicity',
      [
        'restore',
        '--no-encryption',
        '--file-to-restore',
        join(world.hostRoot, 'big').slice(1),
        `file://${join(world.target, 'big')}`,
        join(restored, world.hostRoot, 'big'),
      ],
      { env: { ...process.env, HOME: world.dir } },
    );
    // The driver backs up from `/`, so the container sits at its full host_root path in the archive.
    await run('diff', ['-r', join(world.hostRoot, 'big', 'rootfs'), join(restored, world.hostRoot, 'big', 'rootfs')]);
    console.log(`SIGTERM during backup: exit 0 after ${stopMs} ms`);
  });
});
