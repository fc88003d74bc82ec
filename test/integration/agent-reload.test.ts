// Acceptance: a policy edit is reflected by `status --json` within 2 s; a broken edit
// leaves the agent running on the old policy with the error in status.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StatusReport } from '../../agent/daemon/status-report.js';
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
  world = await makeWorld('agent-reload');
});
afterEach(async () => {
  await agent?.stop();
  agent = undefined;
  await world.remove();
});

async function statusJson(): Promise<StatusReport> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'agent/main.ts', 'status', '--json'], { cwd: REPO, env: world.env });
  return JSON.parse(stdout) as StatusReport;
}

const row = (report: StatusReport, name: string) => report.containers.find((c) => c.name === name)!;

describe('live policy', () => {
  it('applies a valid edit within 2 s and keeps the last good policy on a broken one', async () => {
    for (const name of ['a', 'b', 'c']) await makeContainer(world, name);
    await writePolicy(world, policyText(world, { firstBackup: 'next_slot' }));
    agent = await startAgent(world);
    const before = await statusJson();
    expect(Object.keys(before.containers[0]!).sort()).toEqual([
      'chains',
      'last_drill',
      'last_error',
      'last_success',
      'last_verified',
      'name',
      'next_run',
      'orphaned_since',
      'retry_at',
      'size_bytes',
      'state',
      'unchanged',
    ]);
    expect(before.policy).toEqual({ path: world.policyPath, valid: true, error: null });

    const edited = Date.now();
    await writePolicy(
      world,
      policyText(world, { firstBackup: 'next_slot', extra: 'containers:\n  a: { enabled: false }\n  b: { schedule: "17 5 * * *" }' }),
    );
    // Polled through the socket so the time measured is the agent's, not the CLI's start-up.
    await waitFor(
      async () => {
        const report = await agentStatus(world);
        return row(report, 'a').state === 'disabled' && new Date(row(report, 'b').next_run!).getHours() === 5;
      },
      2000,
      'the edit in status',
    );
    const appliedMs = Date.now() - edited;
    const after = await statusJson();
    expect(row(after, 'a').state).toBe('disabled');
    expect(new Date(row(after, 'b').next_run!).getHours()).toBe(5);
    // Untouched: c keeps its exact next run.
    expect(row(after, 'c').next_run).toBe(row(before, 'c').next_run);

    await writePolicy(world, policyText(world, { firstBackup: 'next_slot', extra: 'containers:\n  a: { enabled: maybe }' }));
    await waitFor(async () => !(await statusJson()).policy.valid, 3000, 'the broken edit in status');
    const broken = await statusJson();
    expect(broken.policy.error).toMatch(new RegExp(`${world.policyPath.replace(/[.]/g, '\\.')}:\\d+:\\d+ containers\\.a\\.enabled`));
    expect(broken.containers).toEqual(after.containers);
    expect(agent.child.exitCode).toBeNull();
    expect(agent.output()).toMatch(/policy edit rejected/);
    console.log(`valid edit visible in status after ${appliedMs} ms`);
  });
});
