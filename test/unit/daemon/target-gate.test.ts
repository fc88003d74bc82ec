// The gate with the real queue and a fake runner: jobs on a dead target wait without a slot,
// one probe per target decides, and parked jobs run as soon as their target answers.
import { afterEach, describe, expect, it } from 'vitest';
import type { JobRequest, JobRunner, ProbeResult } from '../../../agent/core/job.js';
import { createJobQueue, type JobQueue } from '../../../agent/daemon/job-queue.js';
import { createTargetGate, type Parked } from '../../../agent/daemon/target-gate.js';
import type { Backoff, TargetHealth } from '../../../agent/daemon/target-parking.js';

// Containers `dead-*` use target T-dead, every other one T-<name>; `down` holds the dead targets.
function world(backoff: Backoff = { fastMs: 20, fastAttempts: 3, everyMs: 40, maxMs: 80 }) {
  const down = new Set<string>(['T-dead']);
  const probes: string[] = [];
  const runs: string[] = [];
  const targets = new Map<string, string>();
  const targetOf = (container: string): string => targets.get(container) ?? (container.startsWith('dead') ? 'T-dead' : `T-${container}`);
  const runner: JobRunner = {
    async run(request: JobRequest) {
      runs.push(request.container);
      await new Promise((resolve) => setTimeout(resolve, 5));
      return { ok: true, durationMs: 5 };
    },
  };
  const probe = async (container: string): Promise<ProbeResult> => {
    const target = targetOf(container);
    probes.push(container);
    return down.has(target) ? { ok: false, target, message: `target ${target} is unreachable` } : { ok: true, target };
  };
  const downs: Array<[string, number]> = [];
  const ups: Array<[string, string[]]> = [];
  const gate = createTargetGate({
    targetOf,
    probe,
    backoff: () => backoff,
    now: () => new Date(),
    down: (target, health: TargetHealth) => downs.push([target, health.failures]),
    up: (target, _since, released) => ups.push([target, released]),
  });
  const parked: Array<[string, Parked]> = [];
  const queue = createJobQueue({
    runner,
    concurrency: 1,
    timeoutMs: () => 60_000,
    pruneAfterBackup: () => false,
    retry: { baseMs: 5, maxAttempts: 3 },
    started: () => undefined,
    ended: () => undefined,
    gate,
    parked: (container, _action, why) => parked.push([container, why]),
  });
  return { queue, gate, down, probes, runs, downs, ups, parked, targets };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let queues: JobQueue[] = [];
afterEach(async () => {
  for (const queue of queues) await queue.shutdown();
  queues = [];
});

describe('target gate', () => {
  it('parks a job whose target does not answer, and the next job takes the only slot', async () => {
    const w = world();
    queues.push(w.queue);
    w.queue.enqueue('dead-1', 'backup');
    w.queue.enqueue('web', 'backup');
    await w.queue.onIdle();
    expect(w.runs).toEqual(['web']);
    expect(w.queue.activity('dead-1')).toBe('parked');
    expect(w.parked.map(([name, why]) => [name, why.target, why.message])).toEqual([['dead-1', 'T-dead', 'target T-dead is unreachable']]);
    expect(w.queue.retryAt('dead-1')?.getTime()).toBeGreaterThan(Date.now() - 1000);
    expect(w.downs).toEqual([['T-dead', 1]]);
  });

  it('parks further jobs on a known-down target without probing it again', async () => {
    const w = world({ fastMs: 10_000, fastAttempts: 3, everyMs: 10_000, maxMs: 10_000 });
    queues.push(w.queue);
    w.queue.enqueue('dead-1', 'backup');
    await w.queue.onIdle();
    w.queue.enqueue('dead-2', 'backup');
    w.queue.enqueue('dead-1', 'backup');
    await w.queue.onIdle();
    expect(w.probes).toEqual(['dead-1']);
    expect(w.parked.map(([name]) => name)).toEqual(['dead-1', 'dead-2']);
    expect(w.queue.activity('dead-2')).toBe('parked');
  });

  it('keeps probing past the job retries and runs every parked job once the target answers', async () => {
    const w = world();
    queues.push(w.queue);
    w.queue.enqueue('dead-1', 'backup');
    w.queue.enqueue('dead-2', 'backup');
    await sleep(300);
    // fast 20, 40 ms, then 40, 80, 80 …: well past the 3 attempts a job failure gets.
    const failures = w.downs.map(([, n]) => n);
    expect(Math.max(...failures)).toBeGreaterThan(3);
    expect(w.runs).toEqual([]);
    w.down.delete('T-dead');
    await sleep(120);
    await w.queue.onIdle();
    expect(w.runs.sort()).toEqual(['dead-1', 'dead-2']);
    expect(w.ups).toEqual([['T-dead', ['dead-1', 'dead-2']]]);
    expect(w.queue.activity('dead-1')).toBeUndefined();
  });

  it('probes at once when someone asks for a parked job, without lengthening the back-off', async () => {
    const w = world({ fastMs: 10_000, fastAttempts: 3, everyMs: 10_000, maxMs: 10_000 });
    queues.push(w.queue);
    w.queue.enqueue('dead-1', 'backup');
    await w.queue.onIdle();
    const retryAt = w.queue.retryAt('dead-1');
    expect(w.queue.enqueue('dead-1', 'backup', { manual: true })).toBe('merged');
    await sleep(20);
    expect(w.probes).toEqual(['dead-1', 'dead-1']);
    expect(w.queue.retryAt('dead-1')).toEqual(retryAt);
    expect(w.downs).toEqual([['T-dead', 1]]);
    w.down.delete('T-dead');
    w.queue.enqueue('dead-1', 'backup', { manual: true, full: true });
    await sleep(20);
    await w.queue.onIdle();
    expect(w.runs).toEqual(['dead-1']);
  });

  it('releases a parked job whose container was moved to another target by a policy edit', async () => {
    const w = world({ fastMs: 10_000, fastAttempts: 3, everyMs: 10_000, maxMs: 10_000 });
    queues.push(w.queue);
    w.queue.enqueue('dead-1', 'backup');
    w.queue.enqueue('dead-2', 'backup');
    await w.queue.onIdle();
    w.targets.set('dead-1', 'T-new');
    w.gate.recheck();
    await sleep(20);
    await w.queue.onIdle();
    expect(w.runs).toEqual(['dead-1']);
    expect(w.queue.activity('dead-2')).toBe('parked');
  });

  it('drops parked jobs and stops probing at shutdown', async () => {
    const w = world();
    w.queue.enqueue('dead-1', 'backup');
    await w.queue.onIdle();
    await w.queue.shutdown();
    const probes = w.probes.length;
    w.down.delete('T-dead');
    await sleep(150);
    expect(w.probes.length).toBe(probes);
    expect(w.runs).toEqual([]);
    expect(w.queue.activity('dead-1')).toBeUndefined();
  });
});
