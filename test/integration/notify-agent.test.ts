// Acceptance for notifications, staleness and metrics, with the real agent process, real
// duplicity and a real HTTP receiver on 127.0.0.1.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freePort } from '../support/temp.js';
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
import { parsePrometheusText, sampleValue, startReceiver, type Receiver } from './notify-helpers.js';

const SECRET = 'hc-9d41c7e2aa0b';
let world: AgentWorld;
let agent: AgentProcess | undefined;
let receiver: Receiver;

beforeEach(async () => {
  world = await makeWorld('notify');
  receiver = await startReceiver();
  await writeFile(join(world.dir, 'secrets.env'), `HC=${SECRET}\n`, { mode: 0o600 });
});
afterEach(async () => {
  await agent?.stop();
  agent = undefined;
  await receiver.close();
  await world.remove();
});

// The notify block with every channel pointing at the receiver; the ping token is a secret reference.
const notifyBlock = (extra = ''): string =>
  `  notify: { ping: { start: "${receiver.url}/\${HC}/{name}/start", success: "${receiver.url}/\${HC}/{name}", fail: "${receiver.url}/\${HC}/{name}/fail" }, webhook: "${receiver.url}/hook", ntfy: "${receiver.url}/ntfy"${extra} }`;
const paths = (container: string): string[] => receiver.requests.map((r) => r.path).filter((p) => p.includes(`/${container}`));

// Secrets reach the receiver only as the URL path: never a body, a log line or the metrics.
function expectNoSecretLeak(metricsText = ''): void {
  for (const request of receiver.requests) expect(request.body).not.toContain(SECRET);
  expect(agent!.output()).not.toContain(SECRET);
  expect(metricsText).not.toContain(SECRET);
}

describe('notifications and metrics from the agent', () => {
  it('sends start then success, fail with the reason for an unreachable target, and serves matching metrics', async () => {
    await makeContainer(world, 'good');
    await makeContainer(world, 'bad');
    const port = await freePort();
    await writePolicy(
      world,
      policyText(world, {
        defaults: notifyBlock(),
        extra: `containers:\n  bad: { target: "sftp://root@127.0.0.1:1/x/{name}" }\nmetrics: { listen: ${port} }`,
      }),
    );
    agent = await startAgent(world);
    await waitFor(() => paths('good').length >= 2 && paths('bad').some((p) => p.endsWith('/fail')), 60_000, 'success and fail pings');
    expect(paths('good')).toEqual([`/${SECRET}/good/start`, `/${SECRET}/good`]);
    const fail = receiver.requests.find((r) => r.path === `/${SECRET}/bad/fail`)!;
    expect(fail.body).toMatch(/^backup of bad failed on \S+: .+/);
    expect(fail.body.length).toBeGreaterThan('backup of bad failed on x: '.length + 10);
    await waitFor(() => receiver.requests.filter((r) => r.path === '/hook').length >= 4, 10_000, 'four webhooks');
    const hooks = receiver.requests.filter((r) => r.path === '/hook').map((r) => JSON.parse(r.body) as Record<string, unknown>);
    const goodEnd = hooks.find((h) => h.container === 'good' && h.event === 'success')!;
    expect(goodEnd).toMatchObject({ action: 'backup', outcome: 'succeeded', error: null, host: expect.any(String) });
    expect(Object.keys(goodEnd).sort()).toEqual([
      'action',
      'bytes',
      'consistency',
      'container',
      'duration',
      'error',
      'event',
      'host',
      'outcome',
      'time',
    ]);
    // No host helper in this world: the backup ran live, and says why.
    expect(goodEnd.consistency).toEqual({ mode: 'live', reason: expect.stringContaining('host helper not available at') });
    expect(hooks.find((h) => h.container === 'bad' && h.event === 'fail')).toMatchObject({
      outcome: 'failed',
      error: fail.body.replace(/^backup of bad failed on \S+: /, ''),
    });
    const ntfy = receiver.requests.filter((r) => r.path === '/ntfy');
    expect(ntfy.map((r) => r.headers.priority).sort()).toEqual(['2', '4']);

    await waitFor(
      async () => (await agentStatus(world)).containers.every((c) => c.state !== 'running'),
      30_000,
      'both jobs (and the prune) to end',
    );
    const state = JSON.parse(await readFile(join(world.stateDir, 'state.json'), 'utf8')) as {
      containers: Record<string, { last_success?: string; last_attempt?: string; bytes?: number }>;
    };
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const { samples } = parsePrometheusText(text);
    const good = state.containers.good!;
    expect(sampleValue(samples, 'lxc_backup_last_success_timestamp_seconds', { container: 'good' })).toBe(
      Date.parse(good.last_success!) / 1000,
    );
    expect(sampleValue(samples, 'lxc_backup_last_attempt_timestamp_seconds', { container: 'bad' })).toBe(
      Date.parse(state.containers.bad!.last_attempt!) / 1000,
    );
    expect(sampleValue(samples, 'lxc_backup_last_bytes', { container: 'good' })).toBe(good.bytes);
    expect(sampleValue(samples, 'lxc_backup_last_duration_seconds', { container: 'good', action: 'backup' })).toBe(goodEnd.duration);
    expect(sampleValue(samples, 'lxc_backup_failures_total', { container: 'bad', action: 'backup' })).toBe(1);
    expect(sampleValue(samples, 'lxc_backup_failures_total', { container: 'good', action: 'backup' })).toBe(0);
    expect(sampleValue(samples, 'lxc_backup_container_state', { container: 'good', state: 'ok' })).toBe(1);
    expect(sampleValue(samples, 'lxc_backup_container_state', { container: 'bad', state: 'failing' })).toBe(1);
    expect(sampleValue(samples, 'lxc_backup_policy_valid')).toBe(1);
    expectNoSecretLeak(text);
  });

  it('a hanging receiver does not hold the backup up', async () => {
    receiver.setHang(true);
    await makeContainer(world, 'a');
    await writePolicy(world, policyText(world, { defaults: notifyBlock(', timeout: 2s, retries: 1') }));
    agent = await startAgent(world);
    await waitFor(() => logLines(agent!).some((l) => l.event === 'job-end' && l.container === 'a'), 30_000, 'the backup to end');
    const lines = logLines(agent!);
    const start = lines.find((l) => l.event === 'job-start' && l.container === 'a')!;
    const end = lines.find((l) => l.event === 'job-end' && l.container === 'a')!;
    const jobMs = Date.parse(String(end.time)) - Date.parse(String(start.time));
    // The start ping alone takes 2 × 2 s + 1 s backoff to give up; the job did not wait for it.
    expect(end.outcome).toBe('succeeded');
    expect(jobMs).toBeLessThan(4000);
    await waitFor(async () => (await agentStatus(world)).containers[0]?.state === 'ok', 10_000, 'state ok');
    await waitFor(
      () => logLines(agent!).some((l) => l.event === 'notify' && l.kind === 'start' && l.error === 'no answer within 2 s'),
      10_000,
      'the undeliverable start to be logged',
    );
    console.log(`hanging receiver: job ${jobMs} ms (delivery gives up after ~5000 ms)`);
    expectNoSecretLeak();
  });

  it('a container whose last success is older than max_age after downtime is stale at start and a fail is sent at once', async () => {
    await makeContainer(world, 'a');
    await writePolicy(world, policyText(world, { defaults: `${notifyBlock()}\n  max_age: 3s` }));
    agent = await startAgent(world);
    await waitFor(() => paths('a').includes(`/${SECRET}/a`), 30_000, 'the first success');
    await agent.stop();
    receiver.requests.length = 0;
    await new Promise((resolve) => setTimeout(resolve, 3500));
    const started = Date.now();
    agent = await startAgent(world);
    expect((await agentStatus(world)).containers[0]).toMatchObject({ name: 'a', state: 'stale' });
    const readyAt = Date.now();
    await waitFor(() => paths('a').includes(`/${SECRET}/a/fail`), 5000, 'the stale fail ping');
    const ms = Date.now() - readyAt;
    const fail = receiver.requests.find((r) => r.path === `/${SECRET}/a/fail`)!;
    expect(fail.body).toMatch(/^a is stale on \S+: no successful backup for longer than max_age \(3 s\)/);
    // Once per episode: the next stale checks send nothing more.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(paths('a').filter((p) => p.endsWith('/fail'))).toHaveLength(1);
    console.log(`stale: agent start to ready ${Date.now() - started - 1500 - ms} ms, fail ping arrived ${ms} ms after ready`);
    expectNoSecretLeak();
  });
});
