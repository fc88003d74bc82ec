// Scheduled drills in the real agent: with `verify.every: 1m` drills run on their own, never
// while a backup of the same container runs, and `status` shows VERIFIED moving forward.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StatusReport } from '../../agent/daemon/status-report.js';
import { runLxcBackup } from '../support/cli.js';
import { waitFor } from '../support/wait-for.js';
import {
  type AgentProcess,
  type AgentWorld,
  agentStatus,
  logLines,
  makeContainer,
  makeWorld,
  policyText,
  startAgent,
  writePolicy,
} from './agent-helpers.js';

let world: AgentWorld;
let agent: AgentProcess | undefined;

beforeEach(async () => {
  world = await makeWorld('drill-schedule');
});
afterEach(async () => {
  await agent?.stop();
  agent = undefined;
  await world.remove();
});

const row = (status: StatusReport, name: string) => status.containers.find((c) => c.name === name);

describe('scheduled restore drills', () => {
  it('run every minute, never during a backup of the same container, and VERIFIED follows', async () => {
    await makeContainer(world, 'web', 40);
    await writeFile(join(world.hostRoot, 'web', 'rootfs', 'blob'), Buffer.alloc(3 << 20, 1));
    await writePolicy(
      world,
      policyText(world, { defaults: '  verify: { every: 1m }', extra: 'containers:\n  web: { schedule: "* * * * *" }' }),
    );
    agent = await startAgent(world);
    await waitFor(async () => row(await agentStatus(world), 'web')?.last_verified != null, 200_000, 'a first passed drill');
    const first = row(await agentStatus(world), 'web');
    expect(first?.last_drill).toMatchObject({ ok: true, mismatches: 0 });
    expect(first?.last_drill?.sampled).toBe(42);
    await waitFor(
      async () => (row(await agentStatus(world), 'web')?.last_verified ?? '') > (first?.last_verified ?? ''),
      150_000,
      'a second drill',
    );

    const table = await runLxcBackup(['status', '--policy', world.policyPath], world.env);
    const [header = '', ...lines] = table.out.split('\n');
    const web = lines.find((line) => line.startsWith('web ')) ?? '';
    expect(web.slice(header.indexOf('VERIFIED'))).toMatch(/^(now|(\d+ s|\dm\d\ds) ago)/);

    // Each job's start and end from the agent's log: a drill never overlaps a backup or prune of web.
    const spans: Array<{ action: string; start: number; end: number }> = [];
    const open = new Map<string, number>();
    for (const line of logLines(agent)) {
      if (line.container !== 'web') continue;
      const at = Date.parse(String(line.time));
      if (line.event === 'job-start') open.set(String(line.action), at);
      if (line.event === 'job-end') spans.push({ action: String(line.action), start: open.get(String(line.action)) ?? at, end: at });
    }
    const drills = spans.filter((s) => s.action === 'drill');
    const others = spans.filter((s) => s.action !== 'drill');
    expect(drills.length).toBeGreaterThanOrEqual(2);
    expect(others.filter((s) => s.action === 'backup').length).toBeGreaterThanOrEqual(1);
    for (const d of drills)
      for (const o of others) expect(d.end <= o.start || o.end <= d.start, `${JSON.stringify(d)} overlaps ${JSON.stringify(o)}`).toBe(true);
  }, 420_000);
});
