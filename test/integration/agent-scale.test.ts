// Acceptance: 200 containers with real files: start-up to all scheduled under 2 s, and at
// most 2×200+20 inotify watches (the watch never enters a rootfs).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '../support/wait-for.js';
import {
  agentStatus,
  inotifyWatches,
  logLines,
  makeContainer,
  makeWorld,
  policyText,
  startAgent,
  writePolicy,
  type AgentProcess,
  type AgentWorld,
} from './agent-helpers.js';

const N = 200;
let world: AgentWorld;
let agent: AgentProcess | undefined;

beforeEach(async () => {
  world = await makeWorld('agent-scale');
});
afterEach(async () => {
  await agent?.stop();
  agent = undefined;
  await world.remove();
});

describe('agent at scale', () => {
  it(`schedules ${N} containers quickly with few inotify watches`, async () => {
    for (let i = 0; i < N; i += 1) await makeContainer(world, `ct-${String(i).padStart(3, '0')}`, 4);
    // next_slot: this test is about scheduling, not 200 first backups.
    await writePolicy(world, policyText(world, { firstBackup: 'next_slot' }));
    const spawned = Date.now();
    agent = await startAgent(world);
    const readyMs = Date.now() - spawned;
    const scheduled = logLines(agent).find((line) => typeof line.startup_ms === 'number' && line.containers === N);
    expect(scheduled, agent.output()).toBeDefined();
    const startupMs = scheduled!.startup_ms as number;
    expect(startupMs).toBeLessThan(2000);

    const status = await agentStatus(world);
    expect(status.containers).toHaveLength(N);
    expect(status.containers.every((c) => c.state === 'pending' && c.next_run !== null)).toBe(true);
    // Spread: the 200 next runs are not all in the same second.
    expect(new Set(status.containers.map((c) => c.next_run!.slice(0, 19))).size).toBeGreaterThan(N / 2);

    await waitFor(async () => (await inotifyWatches(agent!.pid)) > N, 5000, 'the watch to be set up');
    const watches = await inotifyWatches(agent.pid);
    expect(watches).toBeLessThanOrEqual(2 * N + 20);
    console.log(
      `${N} containers: scheduled ${startupMs} ms after the agent started (${readyMs} ms from spawn to ready incl. tsx), ${watches} inotify watches`,
    );
  });
});
