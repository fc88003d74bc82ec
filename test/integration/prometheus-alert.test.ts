// A real Prometheus server (Debian's `prometheus`, loopback only, temp storage, 1 s scrape and
// rule intervals) scrapes a real agent with the shipped rules loaded. A container whose target
// does not answer makes LxcBackupFailing pending (its `for` is 15 min) for that container only,
// as Prometheus's own HTTP API reports it.
import { execa } from 'execa';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/temp.js';
import { waitFor } from '../support/wait-for.js';
import {
  type AgentProcess,
  type AgentWorld,
  makeContainer,
  makeWorld,
  policyText,
  REPO,
  startAgent,
  writePolicy,
} from './agent-helpers.js';

const RULES = join(REPO, 'templates/prometheus/lxc-backup.rules.yml');
const found = await execa('prometheus', ['--version'], { reject: false });
const skip = found.exitCode === 0 ? undefined : 'prometheus is not installed (apt-get install prometheus)';

interface Alert {
  labels: Record<string, string>;
  state: string;
}

let world: AgentWorld;
let agent: AgentProcess | undefined;
let server: ReturnType<typeof execa> | undefined;
let api: string;

async function apiGet<T>(path: string): Promise<T> {
  const reply = await fetch(`${api}${path}`);
  const body = (await reply.json()) as { status: string; data: T };
  if (body.status !== 'success') throw new Error(`${path}: ${JSON.stringify(body)}`);
  return body.data;
}

describe.skipIf(skip !== undefined)('Prometheus scraping a real agent with the shipped rules', () => {
  beforeAll(async () => {
    world = await makeWorld('prometheus');
    await makeContainer(world, 'good');
    await makeContainer(world, 'bad');
    const agentPort = await freePort();
    await writePolicy(
      world,
      policyText(world, { extra: `containers:\n  bad: { target: "sftp://root@127.0.0.1:1/x/{name}" }\nmetrics: { listen: ${agentPort} }` }),
    );
    agent = await startAgent(world);
    const promPort = await freePort();
    api = `http://127.0.0.1:${promPort}`;
    const dir = join(world.dir, 'prometheus');
    await mkdir(join(dir, 'data'), { recursive: true });
    await writeFile(
      join(dir, 'prometheus.yml'),
      [
        'global: { scrape_interval: 1s, evaluation_interval: 1s }',
        `rule_files: [${JSON.stringify(RULES)}]`,
        'scrape_configs:',
        `  - { job_name: lxc-backup, static_configs: [{ targets: ["127.0.0.1:${agentPort}"] }] }`,
      ].join('\n'),
    );
    server = execa(
      'prometheus',
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
      ],
      { reject: false, all: true },
    );
    const running = server;
    await waitFor(
      async () => {
        if (running.exitCode !== null) throw new Error(`prometheus exited ${running.exitCode}: ${(await running).all}`);
        return (await fetch(`${api}/-/ready`).catch(() => undefined))?.ok === true;
      },
      30_000,
      'prometheus ready',
    );
  }, 60_000);
  afterAll(async () => {
    if (server?.pid && server.exitCode === null) process.kill(server.pid, 'SIGTERM');
    await server;
    await agent?.stop();
    await world?.remove();
  });

  it('scrapes the agent and puts LxcBackupFailing for the failing container in pending', async () => {
    await waitFor(
      async () => {
        const targets = await apiGet<{ activeTargets: Array<{ health: string }> }>('/api/v1/targets');
        return targets.activeTargets.some((t) => t.health === 'up');
      },
      30_000,
      'the agent scraped',
    );
    const started = Date.now();
    const failing = async (): Promise<Alert[]> =>
      (await apiGet<{ alerts: Alert[] }>('/api/v1/alerts')).alerts.filter((a) => a.labels.alertname === 'LxcBackupFailing');
    await waitFor(async () => (await failing()).length > 0, 90_000, 'LxcBackupFailing in /api/v1/alerts');
    const alerts = await failing();
    expect(alerts.map((a) => [a.labels.container, a.state])).toEqual([['bad', 'pending']]);
    expect(alerts[0]?.labels).toMatchObject({ job: 'lxc-backup', severity: 'critical', state: 'failing' });
    const rules = await apiGet<{ groups: Array<{ rules: Array<{ name: string; health: string }> }> }>('/api/v1/rules');
    const names = rules.groups.flatMap((g) => g.rules.filter((r) => r.health !== 'err').map((r) => r.name));
    expect(names).toEqual(expect.arrayContaining(['LxcBackupFailing', 'LxcBackupStale', 'LxcBackupAgentDown', 'LxcBackupDrillFailed']));
    console.log(`LxcBackupFailing pending ${Date.now() - started} ms after the first scrape`);
  }, 150_000);
});
