// Scenario 4: the agent at rest with many containers — start-up time to scheduled state,
// RSS and inotify watches after start and after a cycle, CPU while idle, and how long a new
// container takes to be taken on beyond `settle`.
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { prepareProduct, stopGpgAgent } from './contenders.js';
import { startAgent, type AgentProcess } from './agent-process.js';
import { clockTicks, cpuSeconds, inotifyWatches, residentBytes } from './proc.js';
import { sleep, timed } from './run.js';
import { buildTinyContainers, containerNames, writeTinyContainer } from './workload.js';

export interface RestOptions {
  repo: string;
  work: string;
  containers: number;
  idleSeconds: number;
  repetitions: number;
  log: (line: string) => void;
}

export interface RestSamples {
  containers: number;
  // Wall ms from spawn to the `agent ready` line, and the agent's own startup_ms.
  startupWallMs: number[];
  startupLoggedMs: number[];
  rssAfterStart: number;
  rssAfterCycle: number;
  // After the idle window that follows the cycle (the heap has had time to shrink).
  rssAfterIdle: number;
  watchesAfterStart: number;
  watchesAfterCycle: number;
  idleCpuPercentAfterStart: number;
  idleCpuPercentAfterCycle: number;
  cycleSeconds: number;
  // Ms from the rename that made a container appear to its `new container` line, minus settle.
  discoveryMs: number[];
}

const SETTLE = '1s';
const SETTLE_MS = 1000;

async function idleCpuPercent(agent: AgentProcess, seconds: number, ticks: number): Promise<number> {
  const before = await cpuSeconds(agent.pid, ticks);
  const started = process.hrtime.bigint();
  await sleep(seconds * 1000);
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  return (((await cpuSeconds(agent.pid, ticks)) - before) / wall) * 100;
}

async function waitForCycle(repo: string, policy: string, socket: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { stdout } = await timed('node', [join(repo, 'dist', 'lxc-backup.mjs'), 'status', '--json', '--policy', policy], {
      env: { LXC_BACKUP_SOCKET: socket },
    });
    const report = JSON.parse(stdout) as { containers: { state: string }[] };
    const busy = report.containers.filter((c) => c.state === 'pending' || c.state === 'running').length;
    const failing = report.containers.filter((c) => c.state === 'failing').length;
    if (failing > 0) throw new Error(`${failing} container(s) failed their backup during the cycle`);
    if (busy === 0) return;
    await sleep(2000);
  }
  throw new Error(`the cycle did not finish within ${timeoutMs / 1000} s`);
}

const isReady = (line: { msg: string }): boolean => line.msg === 'agent ready';

// Runs the at-rest scenario on `containers` tiny containers.
export async function runAtRest(options: RestOptions): Promise<RestSamples> {
  const { repo, work, log } = options;
  const hostRoot = join(work, 'rest-host');
  await buildTinyContainers(hostRoot, containerNames(options.containers, 'r'));
  // The shipped policy, except: no first backup at start (the agent must be at rest) and
  // a 1 s settle so discovery latency is measurable quickly (settle itself is subtracted).
  const product = await prepareProduct(repo, join(work, 'rest-product'), hostRoot, { firstBackup: 'next_slot', settle: SETTLE });
  const socket = join(product.dir, 'agent.sock');
  const ticks = await clockTicks();
  const samples: RestSamples = {
    containers: options.containers,
    startupWallMs: [],
    startupLoggedMs: [],
    rssAfterStart: 0,
    rssAfterCycle: 0,
    rssAfterIdle: 0,
    watchesAfterStart: 0,
    watchesAfterCycle: 0,
    idleCpuPercentAfterStart: 0,
    idleCpuPercentAfterCycle: 0,
    cycleSeconds: 0,
    discoveryMs: [],
  };
  for (let rep = 0; rep < options.repetitions; rep++) {
    const agent = startAgent(repo, product.policy, socket);
    const ready = await agent.waitFor(isReady, 30_000, 'agent ready');
    samples.startupWallMs.push(ready.time - agent.spawnedAt);
    samples.startupLoggedMs.push(ready.startup_ms ?? Number.NaN);
    log(`start-up ${rep + 1}: ${ready.time - agent.spawnedAt} ms to ready (agent says ${ready.startup_ms} ms)`);
    if (rep < options.repetitions - 1) {
      await agent.stop();
      continue;
    }
    try {
      await sleep(2000);
      samples.rssAfterStart = await residentBytes(agent.pid);
      samples.watchesAfterStart = await inotifyWatches(agent.pid);
      log(
        `after start: RSS ${(samples.rssAfterStart / 2 ** 20).toFixed(1)} MiB, ${samples.watchesAfterStart} watches; idle ${options.idleSeconds} s`,
      );
      samples.idleCpuPercentAfterStart = await idleCpuPercent(agent, options.idleSeconds, ticks);
      for (let i = 0; i < options.repetitions; i++) {
        const name = `new${i}`;
        const staging = join(hostRoot, `.staging-${name}`);
        await writeTinyContainer(hostRoot, name, staging);
        const appearedAt = Date.now();
        await rename(staging, join(hostRoot, name));
        const line = await agent.waitFor((l) => l.container === name && l.msg.startsWith('new container'), 30_000, `discovery of ${name}`);
        samples.discoveryMs.push(line.time - appearedAt - SETTLE_MS);
        log(`discovery ${i + 1}: ${line.time - appearedAt - SETTLE_MS} ms after settle`);
      }
      const cycleStart = process.hrtime.bigint();
      await timed('node', [join(repo, 'dist', 'lxc-backup.mjs'), 'backup', '--all', '--policy', product.policy], {
        env: { LXC_BACKUP_SOCKET: socket },
      });
      await waitForCycle(repo, product.policy, socket, 60 * 60_000);
      samples.cycleSeconds = Number(process.hrtime.bigint() - cycleStart) / 1e9;
      await sleep(2000);
      samples.rssAfterCycle = await residentBytes(agent.pid);
      samples.watchesAfterCycle = await inotifyWatches(agent.pid);
      log(
        `cycle of ${options.containers + options.repetitions} containers: ${samples.cycleSeconds.toFixed(0)} s; RSS ${(samples.rssAfterCycle / 2 ** 20).toFixed(1)} MiB, ${samples.watchesAfterCycle} watches; idle ${options.idleSeconds} s`,
      );
      samples.idleCpuPercentAfterCycle = await idleCpuPercent(agent, options.idleSeconds, ticks);
      samples.rssAfterIdle = await residentBytes(agent.pid);
    } finally {
      await agent.stop();
      await stopGpgAgent(join(product.state, 'gnupg'));
    }
  }
  return samples;
}
