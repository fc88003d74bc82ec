// The job history with the real agent and real duplicity: ten backups give ten lines in
// `lxc-backup history`, and a small rotation bound holds across a restart.
import { afterEach, describe, expect, it } from 'vitest';
import type { HistoryRecord } from '../../agent/daemon/history-record.js';
import { runLxcBackup } from '../support/cli.js';
import { waitFor } from '../support/wait-for.js';
import { type AgentProcess, type AgentWorld, makeContainer, makeWorld, policyText, startAgent, writePolicy } from './agent-helpers.js';

let world: AgentWorld | undefined;
let agent: AgentProcess | undefined;
afterEach(async () => {
  await agent?.stop();
  await world?.remove();
  agent = undefined;
  world = undefined;
});

async function jobs(w: AgentWorld): Promise<HistoryRecord[]> {
  const result = await runLxcBackup(['history', 'web', '--json', '--policy', w.policyPath], w.env);
  expect(result.code, result.err).toBe(0);
  return (JSON.parse(result.out) as { jobs: HistoryRecord[] }).jobs;
}

// Asks the agent for one backup of web and waits until its history has `count` lines.
async function backupUntil(w: AgentWorld, count: number): Promise<void> {
  const queued = await runLxcBackup(['backup', 'web', '--policy', w.policyPath], w.env);
  expect(queued.code, queued.err).toBe(0);
  await waitFor(async () => (await jobs(w)).length >= count, 60_000, `history line ${count}`);
}

describe('history from the real agent', () => {
  it('ten backups make ten lines; a bound of 4 keeps the newest four', async () => {
    world = await makeWorld('history');
    await makeContainer(world, 'web');
    // No retention: no prune after each backup, so every line is a backup.
    await writePolicy(world, policyText(world, { defaults: '  retention: { older_than: null }' }));
    agent = await startAgent(world);
    await waitFor(async () => (await jobs(world!)).length >= 1, 60_000, 'first backup in the history');
    for (let n = 2; n <= 10; n += 1) await backupUntil(world, n);
    const ten = await jobs(world);
    expect(ten).toHaveLength(10);
    expect(ten.map((job) => job.action)).toEqual(Array(10).fill('backup'));
    expect(ten.map((job) => job.outcome)).toEqual(Array(10).fill('ok'));
    expect(ten[0]?.set_type).toBe('full');
    expect(ten.slice(1).map((job) => job.set_type)).toEqual(Array(9).fill('inc'));
    expect(ten.every((job) => typeof job.duration_ms === 'number' && typeof job.bytes === 'number')).toBe(true);
    const table = await runLxcBackup(['history', 'web', '--policy', world.policyPath, '--limit', '3'], world.env);
    expect(table.out.trim().split('\n')).toHaveLength(4);

    await agent.stop();
    world.env = { ...world.env, LXC_BACKUP_HISTORY_MAX_JOBS: '4' };
    agent = await startAgent(world);
    const last = ten.at(-1)?.time ?? '';
    const queued = await runLxcBackup(['backup', 'web', '--policy', world.policyPath], world.env);
    expect(queued.code, queued.err).toBe(0);
    await waitFor(async () => ((await jobs(world!)).at(-1)?.time ?? '') > last, 60_000, 'the eleventh backup');
    const kept = await jobs(world);
    expect(kept).toHaveLength(4);
    expect(kept.slice(0, 3)).toEqual(ten.slice(-3));
  }, 240_000);
});
