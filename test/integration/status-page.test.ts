// The status page in a real browser: headless Chromium (Debian's, no download) loads it from
// a running agent with three containers and some history. The DOM must have a row and a chart
// with path data per container; a click (the #NAME link) shows the history table; guest text
// stays text; the network log shows no request to anything but the agent. Screenshots are
// saved under test-output/status-page/ for a person to look at.
import { execa } from 'execa';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { historyPath } from '../../agent/daemon/history-file.js';
import { freePort, makeTempDir, removeDir } from '../support/temp.js';
import { waitFor } from '../support/wait-for.js';
import {
  type AgentProcess,
  type AgentWorld,
  agentStatus,
  makeContainer,
  makeWorld,
  policyText,
  REPO,
  startAgent,
  writePolicy,
} from './agent-helpers.js';

const OUTPUT = join(REPO, 'test-output', 'status-page');
const HOSTILE = '<img src=x onerror="alert(1)"> see https://evil.example/x';
const chromium = await execa('chromium', ['--version'], { reject: false });
const skip = chromium.exitCode === 0 ? undefined : 'chromium is not installed (apt-get install chromium)';

// The parts of Chromium's --log-net-log JSON the test reads.
interface NetLog {
  constants: { logEventTypes: Record<string, number> };
  events: Array<{ type: number; params?: { url?: string; network_isolation_key?: string } }>;
}

let world: AgentWorld;
let agent: AgentProcess;
let profile: string;
let base: string;

// Seeds a history: `count` backups a day apart ending yesterday, the fourth one failed.
async function seedHistory(name: string, count: number): Promise<void> {
  const path = historyPath(world.stateDir, name);
  await mkdir(dirname(path), { recursive: true });
  const lines = Array.from({ length: count }, (_, i) => {
    const time = new Date(Date.now() - (count - i + 1) * 86_400_000).toISOString();
    return i === 3
      ? { time, action: 'backup', outcome: 'failed', duration_ms: 2000, error: HOSTILE }
      : { time, action: 'backup', outcome: 'ok', duration_ms: 5000 + i * 700, bytes: 40_000 + i * 9000, set_type: i ? 'inc' : 'full' };
  });
  await writeFile(path, lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
}

// Runs headless Chromium on `url`; returns the DOM after the page's scripts ran.
async function browse(url: string, extra: string[] = []): Promise<string> {
  const result = await execa(
    'chromium',
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      `--user-data-dir=${profile}`,
      '--no-first-run',
      // Chromium's own traffic (updates, sync, spell-check dictionaries) is switched off, and
      // any name but the agent's loopback address fails to resolve: nothing leaves the machine.
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-extensions',
      '--disable-default-apps',
      '--disable-domain-reliability',
      '--no-pings',
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
      '--virtual-time-budget=10000',
      ...extra,
      url,
    ],
    { timeout: 60_000, reject: false },
  );
  if (result.exitCode !== 0) throw new Error(`chromium failed (${result.exitCode}): ${result.stderr}`);
  return result.stdout;
}

describe.skipIf(skip !== undefined)('status page in headless Chromium', () => {
  beforeAll(async () => {
    world = await makeWorld('status-page');
    profile = await makeTempDir('status-page-chromium');
    await mkdir(OUTPUT, { recursive: true });
    for (const name of ['alpha', 'beta', 'gamma']) await makeContainer(world, name);
    await seedHistory('alpha', 8);
    await seedHistory('beta', 5);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const extra = `metrics: { listen: ${port} }\ncontainers:\n  gamma: { verify: { every: null } }`;
    await writePolicy(world, policyText(world, { extra }));
    agent = await startAgent(world);
    await waitFor(
      async () => (await agentStatus(world)).containers.filter((c) => c.last_success !== null).length === 3,
      90_000,
      'first backups of alpha, beta and gamma',
    );
  }, 120_000);
  afterAll(async () => {
    await agent?.stop();
    await world?.remove();
    if (profile) await removeDir(profile);
  });

  it('serves the page with a CSP that allows nothing outside the agent, and no URL in it', async () => {
    const reply = await fetch(`${base}/`);
    expect(reply.status).toBe(200);
    const csp = reply.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    const html = await reply.text();
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<(link|img|iframe)\b|src=/);
  });

  it('renders a row and a chart with path data per container, guest text as text', async () => {
    const dom = await browse(`${base}/`, ['--dump-dom']);
    await writeFile(join(OUTPUT, 'dom.html'), dom);
    const rows = dom.match(/<tr class="container[^"]*" data-name="[^"]+">[\s\S]*?<\/tr>/g) ?? [];
    expect(rows.map((row) => /data-name="([^"]+)"/.exec(row)?.[1])).toEqual(['alpha', 'beta', 'gamma']);
    for (const row of rows) {
      const chart = /<svg[^>]*class="chart"[\s\S]*?<\/svg>/.exec(row)?.[0] ?? '';
      expect(chart, row).toMatch(/<path class="size" d="M[\d.]+,[\d.]+/);
      expect(chart, row).toMatch(/<path class="duration" d="M[\d.]+,[\d.]+/);
    }
    const alpha = rows[0] ?? '';
    expect(alpha).toMatch(/<circle class="fail"/);
    // Each row's consistency mode (status's consistency.mode) and VERIFIED (no drill yet; off for gamma).
    for (const row of rows) expect(row).toMatch(/<td data-label="Mode"[^>]*>(snapshot|freeze|live|stopped)<\/td>/);
    expect(alpha).toMatch(/<td data-label="Verified"[^>]*>–<\/td>/);
    expect(rows[2]).toMatch(/<td data-label="Verified" class="muted" title="verify\.every is null">off<\/td>/);
    expect(dom).not.toContain('<img');
  }, 90_000);

  it('shows the history table and the chains of the container in the link', async () => {
    const dom = await browse(`${base}/#alpha`, ['--dump-dom']);
    const jobs = dom.match(/<tr class="job">/g) ?? [];
    expect(jobs.length).toBeGreaterThanOrEqual(9);
    expect(dom).toContain('&lt;img src=x onerror="alert(1)"&gt;');
    expect(dom).toMatch(/<h2 id="detail-name">alpha<\/h2>/);
    expect(dom).toMatch(/<table id="chains">[\s\S]*?<td data-label="Incrementals">/);
  }, 90_000);

  it('makes no request outside the agent, and saves screenshots (desktop, 360 px dark)', async () => {
    const netLog = join(profile, 'net-log.json');
    const desktop = join(OUTPUT, 'desktop.png');
    const narrow = join(OUTPUT, 'narrow-dark.png');
    await browse(`${base}/#alpha`, ['--window-size=1200,1100', `--screenshot=${desktop}`, `--log-net-log=${netLog}`]);
    await browse(`${base}/#beta`, [
      '--window-size=360,1400',
      '--force-dark-mode',
      '--blink-settings=preferredColorScheme=0',
      `--screenshot=${narrow}`,
    ]);
    for (const file of [desktop, narrow]) expect((await readFile(file)).subarray(1, 4).toString()).toBe('PNG');
    // Requests made for the page carry its site as their network isolation key; Chromium's own
    // background requests (blocked above by the resolver rules anyway) carry others.
    const log = JSON.parse(await readFile(netLog, 'utf8')) as NetLog;
    const startJob = log.constants.logEventTypes.URL_REQUEST_START_JOB;
    const pageRequests = log.events
      .filter((event) => event.type === startJob && event.params?.network_isolation_key?.startsWith('http://127.0.0.1 '))
      .map((event) => event.params?.url ?? '');
    expect(pageRequests).toContain(`${base}/status.json`);
    expect(pageRequests).toContain(`${base}/history/alpha.json`);
    expect(pageRequests.filter((url) => !url.startsWith(`${base}/`))).toEqual([]);
    console.log(`status page screenshots: ${desktop} ${narrow}`);
  }, 90_000);
});
