// Acceptance: a state file replaced by garbage: the agent starts, logs what it did, and status is rebuilt.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { mkdir } from 'node:fs/promises';
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

let world: AgentWorld;
let agent: AgentProcess | undefined;

beforeEach(async () => {
  world = await makeWorld('agent-state');
});
afterEach(async () => {
  await agent?.stop();
  agent = undefined;
  await world.remove();
});

describe('state recovery', () => {
  it('sets a garbage state.json aside and rebuilds', async () => {
    await makeContainer(world, 'a');
    await mkdir(world.stateDir, { recursive: true });
    await writeFile(join(world.stateDir, 'state.json'), '\u0000\u0001 garbage {{{');
    await writePolicy(world, policyText(world, { firstBackup: 'next_slot' }));
    agent = await startAgent(world);
    const warning = logLines(agent).find((line) => String(line.msg).includes('state file was corrupt'));
    expect(warning, agent.output()).toMatchObject({ level: 'warn', set_aside: expect.stringContaining('state.json.corrupt-') });
    expect((await readdir(world.stateDir)).filter((name) => name.startsWith('state.json.corrupt-'))).toHaveLength(1);
    expect((await agentStatus(world)).containers).toEqual([expect.objectContaining({ name: 'a', state: 'pending' })]);
    await waitFor(
      async () => {
        const text = await readFile(join(world.stateDir, 'state.json'), 'utf8').catch(() => '');
        return text.startsWith('{') && JSON.parse(text).containers.a !== undefined;
      },
      3000,
      'a rebuilt state.json',
    );
  });

  it('rebuilds last success and chains from the target when state.json is lost', async () => {
    await makeContainer(world, 'b');
    await writePolicy(world, policyText(world));
    agent = await startAgent(world);
    await waitFor(async () => (await agentStatus(world)).containers.find((c) => c.name === 'b')?.state === 'ok', 20_000, 'b backed up');
    const before = (await agentStatus(world)).containers.find((c) => c.name === 'b')!;
    await agent.stop();
    await writeFile(join(world.stateDir, 'state.json'), 'not json at all');
    agent = await startAgent(world);
    const rebuilt = logLines(agent).find((line) => String(line.msg).startsWith('state rebuilt from the targets'));
    expect(rebuilt, agent.output()).toMatchObject({ containers: 1, with_backups: 1 });
    const after = (await agentStatus(world)).containers.find((c) => c.name === 'b')!;
    expect(after.state).toBe('ok');
    // duplicity records whole seconds: the rebuilt time is the backup's start, not its end.
    const drift = Date.parse(before.last_success!) - Date.parse(after.last_success!);
    expect(drift).toBeGreaterThanOrEqual(0);
    expect(drift).toBeLessThan(30_000);
  });
});
