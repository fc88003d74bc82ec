// Acceptance (issue 15, part 5): a dead target fails fast and never starves others. With
// concurrency 1, a container on a file:// target whose directory is a file waits (parked)
// without holding the slot, a healthy container on another target backs up on time, status
// shows when the dead target is tried next, and once it is fixed the parked job runs within
// one probe interval.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
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

const PROBE_TIMEOUT_MS = 2000;
const RECHECK_MS = 2000;
const SLACK_MS = 3000;

let world: AgentWorld;
let agent: AgentProcess | undefined;

beforeEach(async () => {
  world = await makeWorld('agent-dead-target');
});
afterEach(async () => {
  await agent?.stop();
  agent = undefined;
  await world.remove();
});

type Line = Record<string, unknown>;
const at = (line: Line | undefined): number => Date.parse(String(line?.time));
const jobEnds = (name: string): Line[] => logLines(agent!).filter((l) => l.event === 'job-end' && l.container === name);

describe('a dead target', () => {
  it('parks its job without starving a healthy target, shows the retry, and runs once fixed', async () => {
    const bad = join(world.dir, 'bad');
    await writeFile(bad, 'a file where the target directory should be\n');
    const text = policyText(world, {
      defaults: `  target_probe_timeout: ${PROBE_TIMEOUT_MS / 1000}s`,
      extra: `containers:\n  a-dead: { target: "file://${bad}/{name}" }\ntarget_recheck: { every: ${RECHECK_MS / 1000}s, max: ${RECHECK_MS / 1000}s }`,
    }).replace('concurrency: 2', 'concurrency: 1');
    await writePolicy(world, text);
    await makeContainer(world, 'a-dead', 3);
    await makeContainer(world, 'b-web', 3);
    agent = await startAgent(world);
    const ready = Date.now();

    const webEnd = await waitFor(() => jobEnds('b-web').find((l) => l.outcome === 'succeeded'), 60_000, 'b-web backed up');
    const parked = jobEnds('a-dead')[0];
    expect(parked?.outcome).toBe('failed');
    expect(String(parked?.error)).toContain(`target file://${bad} is unreachable: expected a directory at ${bad}, found a file`);
    // a-dead is queued first (catch-up goes by name), so b-web waited for its probe and no longer.
    const webStart = logLines(agent).find((l) => l.event === 'job-start' && l.container === 'b-web')!;
    expect(at(parked)).toBeLessThanOrEqual(at(webStart));
    const waitedMs = at(webStart) - ready;
    expect(waitedMs).toBeLessThan(PROBE_TIMEOUT_MS + SLACK_MS);
    expect(at(webEnd) - ready).toBeLessThan(PROBE_TIMEOUT_MS + Number(webEnd.duration_ms) + SLACK_MS);

    const status = await agentStatus(world);
    const dead = status.containers.find((c) => c.name === 'a-dead')!;
    expect(dead.state).toBe('failing');
    expect(dead.last_error).toContain('is unreachable');
    expect(dead.retry_at).not.toBeNull();
    expect(Math.abs(new Date(dead.retry_at!).getTime() - Date.now())).toBeLessThan(RECHECK_MS + SLACK_MS);
    expect(status.containers.find((c) => c.name === 'b-web')?.retry_at).toBeNull();

    // Still down after the job retries would have been used up: still parked, still probed.
    await new Promise((resolve) => setTimeout(resolve, 2 * RECHECK_MS + 500));
    expect(logLines(agent).filter((l) => l.event === 'target-down').length).toBeGreaterThanOrEqual(2);
    expect(jobEnds('a-dead').filter((l) => l.outcome === 'succeeded')).toEqual([]);

    await rm(bad);
    await mkdir(bad);
    const fixed = Date.now();
    const deadEnd = await waitFor(
      () => jobEnds('a-dead').find((l) => l.outcome === 'succeeded'),
      RECHECK_MS + 60_000,
      'a-dead backed up after the fix',
    );
    const startedAt = at(logLines(agent).findLast((l) => l.event === 'job-start' && l.container === 'a-dead'));
    expect(startedAt - fixed).toBeLessThan(RECHECK_MS + SLACK_MS);
    expect(deadEnd.container).toBe('a-dead');
    expect(logLines(agent).some((l) => l.event === 'target-up' && l.target === `file://${bad}`)).toBe(true);
    // The prune after the backup may still be running: wait for it.
    const after = await waitFor(
      async () => (await agentStatus(world)).containers.find((c) => c.name === 'a-dead' && c.state !== 'running'),
      30_000,
      'a-dead idle',
    );
    expect([after.state, after.retry_at]).toEqual(['ok', null]);
    console.log(`b-web waited ${waitedMs} ms; a-dead started ${startedAt - fixed} ms after the fix`);
  }, 120_000);
});
