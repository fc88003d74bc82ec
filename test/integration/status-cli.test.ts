// `lxc-backup status` as a person reads it, from the real CLI process against a real agent:
// a container created 5 s ago is listed as settling with its expected first backup; a
// backed-up one shows relative times, its size on the target and its chain count.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
  world = await makeWorld('status-cli');
});
afterEach(async () => {
  await agent?.stop();
  agent = undefined;
  await world.remove();
});

// The real CLI's stdout (a separate process, as a user runs it).
async function statusOutput(args: string[] = []): Promise<string> {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', join(REPO, 'agent/main.ts'), 'status', '--policy', world.policyPath, ...args],
    { cwd: REPO, env: world.env },
  );
  return stdout;
}

// The table's cells for `name`, split on the two-space column gaps.
function rowOf(table: string, name: string): string[] | undefined {
  return table
    .split('\n')
    .find((line) => line.startsWith(`${name} `))
    ?.split(/ {2,}/);
}

describe('status for people (real CLI, real agent)', () => {
  it('lists a container created 5 s ago as settling with its first backup, and a backed-up one with relative times, size and chains', async () => {
    await writePolicy(world, policyText(world).replace(/settle: 1s/, 'settle: 2m'));
    await makeContainer(world, 'old', 3);
    agent = await startAgent(world);
    await waitFor(async () => (await agentStatus(world)).containers.find((c) => c.name === 'old')?.state === 'ok', 30_000, 'old backed up');
    await makeContainer(world, 'fresh', 1);
    await new Promise((resolve) => setTimeout(resolve, 5000));

    const table = await statusOutput();
    expect(table.split('\n')[0]).toMatch(/^NAME +STATE +LAST SUCCESS +NEXT RUN +SIZE +CHAINS +VERIFIED +LAST ERROR$/);
    expect(table).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:/);
    const fresh = rowOf(table, 'fresh');
    expect(fresh, table).toBeDefined();
    expect(fresh!.slice(1, 4)).toEqual(['settling', 'never', expect.stringMatching(/^in ~1m5\ds \(first backup\)$/)]);
    const old = rowOf(table, 'old');
    // No host helper in this world: the backup ran live, and the cell says so after the time.
    expect(old!.slice(1, 3)).toEqual(['ok', expect.stringMatching(/^\d+ s ago \(live\)$/)]);
    expect(old![3]).toMatch(/^in \d+ (h|min)$|^in \d+m\d\ds$/);
    expect(old![4]).toMatch(/^\d+(\.\d)? (B|KiB|MiB)$/);
    expect(old![5]).toBe('1');
    expect(old![6]).toBe('-');

    const json = JSON.parse(await statusOutput(['--json'])) as { containers: Array<Record<string, unknown>> };
    const freshJson = json.containers.find((c) => c.name === 'fresh');
    expect(freshJson).toMatchObject({ state: 'settling', last_success: null, next_run: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/) });
    const due = Date.parse(String(freshJson!.next_run));
    expect(due - Date.now()).toBeGreaterThan(100_000);
    expect(due - Date.now()).toBeLessThan(120_000);
    expect(json.containers.find((c) => c.name === 'old')).toMatchObject({
      chains: 1,
      size_bytes: expect.any(Number),
      consistency: { mode: 'live', reason: expect.stringContaining('host helper not available at') },
    });

    const local = await statusOutput(['--local-time']);
    expect(rowOf(local, 'old')![2]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d \(live\)$/);
  }, 60_000);
});
