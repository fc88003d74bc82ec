// `lxc-backup drill NAME` with an agent running: the drill is queued in the agent (as `backup`
// is), so its result reaches state.json and status; with an option the agent's drill does not
// take (--json here) it runs in the CLI as before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatusReport } from '../../agent/daemon/status-report.js';
import { runLxcBackup } from '../support/cli.js';
import { waitFor } from '../support/wait-for.js';
import {
  type AgentProcess,
  type AgentWorld,
  agentStatus,
  makeContainer,
  makeWorld,
  policyText,
  startAgent,
  writePolicy,
} from './agent-helpers.js';

let world: AgentWorld;
let agent: AgentProcess | undefined;
const cli = (args: string[]) => runLxcBackup([...args, '--policy', world.policyPath], world.env);
const row = (status: StatusReport, name: string) => status.containers.find((c) => c.name === name);

beforeAll(async () => {
  world = await makeWorld('drill-via-agent');
  await makeContainer(world, 'web', 5);
  // No scheduled drills: any drill the agent records here is the one the CLI asked for.
  await writePolicy(world, policyText(world, { defaults: '  verify: { every: null }' }));
  agent = await startAgent(world);
  await waitFor(async () => row(await agentStatus(world), 'web')?.last_success != null, 60_000, 'the first backup of web');
}, 90_000);
afterAll(async () => {
  await agent?.stop();
  await world?.remove();
});

describe('drill through the running agent', () => {
  it('a plain drill is queued in the agent and its result shows in status', async () => {
    expect(row(await agentStatus(world), 'web')?.last_drill).toBeNull();
    const result = await cli(['drill', 'web']);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toMatch(/^web: queued in the running agent/);
    const web = await waitFor(
      async () => {
        const found = row(await agentStatus(world), 'web');
        return found?.last_drill ? found : undefined;
      },
      60_000,
      'the drill of web in status',
      { seen: async () => agent?.output() ?? '' },
    );
    expect(web.last_drill).toMatchObject({ ok: true, mismatches: 0 });
    expect(web.last_verified).toBe(web.last_drill?.at);
  }, 90_000);

  it('with --json it runs here and prints the result (state untouched)', async () => {
    const before = row(await agentStatus(world), 'web')?.last_drill?.at;
    const result = await cli(['drill', 'web', '--json']);
    expect(result.code, result.err).toBe(0);
    expect(JSON.parse(result.out)).toMatchObject({ ok: true, mismatches: 0 });
    expect(row(await agentStatus(world), 'web')?.last_drill?.at).toBe(before);
  }, 90_000);
});
