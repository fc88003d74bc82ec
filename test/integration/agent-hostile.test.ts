// The real agent against hostile host_root entries and an unsafe secrets file (issue 12,
// findings 5, 7, 8, 9): it starts fast, backs up the good container with real duplicity,
// reports each hostile one `unsupported` with its reason (escaped in the table), refuses to
// start on an unsafe secrets file, and keeps the last good secrets when the file turns bad.
import { chmod, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StatusReport } from '../../agent/daemon/status-report.js';
import { runLxcBackup } from '../support/cli.js';
import { HOSTILE, makeHostileRoot } from '../support/hostile-root.js';
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
  world = await makeWorld('agent-hostile');
});
afterEach(async () => {
  await agent?.stop();
  agent = undefined;
  await world.remove();
});

const ENCRYPTED = 'encryption: { mode: symmetric, passphrase: "${PASSPHRASE}" }';

describe('agent with hostile containers', () => {
  it('starts fast, backs up the good one, reports every hostile one unsupported with its reason', async () => {
    await makeHostileRoot(world.hostRoot);
    await writePolicy(world, policyText(world));
    const started = Date.now();
    agent = await startAgent(world);
    expect(Date.now() - started).toBeLessThan(10_000);
    await waitFor(
      async () => (await agentStatus(world)).containers.find((c) => c.name === 'good')?.state === 'ok',
      60_000,
      'good backed up',
    );
    expect(await readdir(world.target)).toEqual(['good']);

    const json = await runLxcBackup(['status', '--json'], world.env);
    expect(json.code, json.err).toBe(0);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: no control character may reach the terminal
    expect(json.out).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
    const report = JSON.parse(json.out) as StatusReport;
    const rows = new Map(report.containers.map((c) => [c.name, c]));
    expect(rows.has('linked')).toBe(false);
    for (const { name, reason } of HOSTILE) {
      expect(rows.get(name)?.state, name).toBe('unsupported');
      expect(rows.get(name)?.last_error, name).toMatch(reason);
    }

    const table = await runLxcBackup(['status'], world.env);
    expect(table.out).not.toContain('\x1b');
    expect(table.out).toContain('esc\\x1b[31m');
    expect(table.out).toContain('new\\nline');
    // One line per container: the newline in a name made no extra row.
    const body = table.out.split('\n\n')[0]!.split('\n');
    expect(body).toHaveLength(1 + 1 + HOSTILE.length);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: no control character may reach the log
    expect(agent.output()).not.toMatch(/[\x7f-\x9f\x1b]/);
  });
});

describe('agent and the secrets file', () => {
  it('refuses to start on a 0644 secrets file, saying how to fix it', async () => {
    await makeContainer(world, 'web');
    await writeFile(join(world.dir, 'secrets.env'), 'PASSPHRASE=agent-pass\n', { mode: 0o600 });
    await chmod(join(world.dir, 'secrets.env'), 0o644);
    await writePolicy(world, policyText(world).replace('encryption: { mode: none }', ENCRYPTED));
    await expect(startAgent(world)).rejects.toThrow(
      /cannot start: .*secrets\.env: expected mode 0600 owned by root, got 0644 owner 0: run chmod 600/,
    );
  });

  it('keeps the last good secrets when the file turns bad on a reload, and backs up with them', async () => {
    await makeContainer(world, 'web');
    const secrets = join(world.dir, 'secrets.env');
    await writeFile(secrets, 'PASSPHRASE=agent-pass\n', { mode: 0o600 });
    const text = policyText(world, { firstBackup: 'next_slot' }).replace('encryption: { mode: none }', ENCRYPTED);
    await writePolicy(world, text);
    agent = await startAgent(world);
    await chmod(secrets, 0o644);
    await writePolicy(world, `${text}\n# edited\n`);
    const running = agent;
    await waitFor(() => logLines(running).some((line) => line.event === 'secrets-bad'), 10_000, 'secrets-bad log line');
    const bad = logLines(running).find((line) => line.event === 'secrets-bad')!;
    expect(bad.msg).toMatch(/expected mode 0600 owned by root, got 0644 owner 0: run chmod 600 .*\(still using the last good secrets\)/);
    expect(agent.output()).not.toContain('agent-pass');

    const backup = await runLxcBackup(['backup', 'web'], world.env);
    expect(backup.code, backup.err).toBe(0);
    await waitFor(
      async () => (await agentStatus(world)).containers.find((c) => c.name === 'web')?.state === 'ok',
      60_000,
      'web backed up with the kept secrets',
    );
    expect((await readdir(join(world.target, 'web'))).some((file) => file.endsWith('.gpg'))).toBe(true);
  });
});
