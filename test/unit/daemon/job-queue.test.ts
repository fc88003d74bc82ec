import { describe, expect, it } from 'vitest';
import { createJobQueue, type JobEnd, type JobQueueOptions } from '../../../agent/daemon/job-queue.js';
import type { JobOutcome, JobRequest, JobRunner } from '../../../agent/core/job.js';

// A runner whose jobs finish when the test says so (or at once with a scripted outcome).
function fakeRunner(script: (request: JobRequest, call: number) => JobOutcome | 'hold') {
  const calls: JobRequest[] = [];
  const holds: Array<() => void> = [];
  const runner: JobRunner = {
    run(request) {
      calls.push(request);
      const result = script(request, calls.length);
      if (result !== 'hold') return Promise.resolve(result);
      return new Promise((resolve) => {
        const done = (): void => resolve({ ok: !request.signal?.aborted, durationMs: 1 });
        holds.push(done);
        request.signal?.addEventListener('abort', done);
      });
    },
  };
  return { runner, calls, release: () => holds.shift()?.() };
}

function queueWith(runner: JobRunner, extra: Partial<JobQueueOptions> = {}) {
  const ends: Array<{ container: string; action: string; end: JobEnd }> = [];
  const queue = createJobQueue({
    runner,
    concurrency: 1,
    timeoutMs: () => 60_000,
    pruneAfterBackup: () => false,
    retry: { baseMs: 5, maxAttempts: 3 },
    started: () => undefined,
    ended: (container, action, end) => ends.push({ container, action, end }),
    ...extra,
  });
  return { queue, ends };
}

const ok: JobOutcome = { ok: true, durationMs: 1 };
const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('job queue', () => {
  it('merges a repeat trigger for a queued or running container', async () => {
    const fake = fakeRunner(() => 'hold');
    const { queue } = queueWith(fake.runner);
    expect(queue.enqueue('a', 'backup')).toBe('queued');
    expect(queue.enqueue('b', 'backup')).toBe('queued');
    await tick();
    expect(queue.activity('a')).toBe('running');
    expect(queue.enqueue('a', 'backup')).toBe('merged');
    expect(queue.enqueue('b', 'backup', { full: true })).toBe('merged');
    fake.release();
    await tick();
    fake.release();
    await queue.onIdle();
    expect(fake.calls.map((c) => `${c.container}${c.full ? ':full' : ''}`)).toEqual(['a', 'b:full']);
  });

  it('says when it has drained: once after the last of a burst, not between jobs', async () => {
    const fake = fakeRunner(() => 'hold');
    let drained = 0;
    const { queue, ends } = queueWith(fake.runner, { drained: () => (drained += 1) });
    queue.enqueue('a', 'backup');
    queue.enqueue('b', 'backup');
    await tick();
    fake.release();
    await tick();
    expect(ends.map((e) => e.container)).toEqual(['a']);
    expect(drained).toBe(0);
    fake.release();
    await queue.onIdle();
    await tick();
    expect(ends.map((e) => e.container)).toEqual(['a', 'b']);
    expect(drained).toBe(1);
  });

  it('runs manual jobs before scheduled ones', async () => {
    const fake = fakeRunner(() => 'hold');
    const { queue } = queueWith(fake.runner);
    queue.enqueue('first', 'backup');
    queue.enqueue('scheduled', 'backup');
    queue.enqueue('manual', 'backup', { manual: true });
    queue.enqueue('later', 'backup');
    queue.enqueue('later', 'backup', { manual: true });
    for (let i = 0; i < 4; i += 1) {
      await tick();
      fake.release();
    }
    await queue.onIdle();
    expect(fake.calls.map((c) => c.container)).toEqual(['first', 'manual', 'later', 'scheduled']);
  });

  it('retries transient failures with backoff, never permanent ones', async () => {
    const transient = fakeRunner((_, call) =>
      call < 3 ? { ok: false, durationMs: 1, failure: { kind: 'transient', message: 'lock busy' } } : ok,
    );
    const t = queueWith(transient.runner);
    t.queue.enqueue('a', 'backup');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(t.ends.map((e) => [e.end.attempt, e.end.outcome.ok])).toEqual([
      [1, false],
      [2, false],
      [3, true],
    ]);

    const permanent = fakeRunner(() => ({ ok: false, durationMs: 1, failure: { kind: 'permanent', message: 'bad passphrase' } }));
    const p = queueWith(permanent.runner);
    p.queue.enqueue('a', 'backup');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(permanent.calls).toHaveLength(1);
    expect(p.queue.activity('a')).toBeUndefined();
  });

  it('stops a job at its timeout and prunes only after a successful backup', async () => {
    const slow = fakeRunner((request) => (request.container === 'slow' ? 'hold' : ok));
    const { queue, ends } = queueWith(slow.runner, {
      concurrency: 2,
      timeoutMs: (c) => (c === 'slow' ? 50 : 60_000),
      pruneAfterBackup: () => true,
    });
    queue.enqueue('slow', 'backup');
    queue.enqueue('fast', 'backup');
    await new Promise((resolve) => setTimeout(resolve, 150));
    const summary = ends.map((e) => `${e.container}:${e.action}:${e.end.outcome.ok}:${e.end.timedOut}`).sort();
    expect(summary).toEqual(['fast:backup:true:false', 'fast:prune:true:false', 'slow:backup:false:true']);
    expect(ends.find((e) => e.container === 'slow')!.end.outcome.failure?.message).toMatch(/timed out/);
  });

  it("ends a job the runner stopped at its own timeout as timed out, keeping the runner's message, without a retry", async () => {
    const message = 'timed out after 2 s (settings.timeout)';
    const fake = fakeRunner(() => ({ ok: false, durationMs: 2000, timedOut: true, failure: { kind: 'permanent', message } }));
    const { queue, ends } = queueWith(fake.runner);
    queue.enqueue('a', 'backup');
    await queue.onIdle();
    expect(fake.calls).toHaveLength(1);
    expect(ends.map((e) => [e.end.timedOut, e.end.outcome.failure?.message])).toEqual([[true, message]]);
  });

  it('shutdown drops queued jobs and aborts running ones as interrupted', async () => {
    const fake = fakeRunner(() => 'hold');
    const { queue, ends } = queueWith(fake.runner);
    queue.enqueue('a', 'backup');
    queue.enqueue('b', 'backup');
    await tick();
    await queue.shutdown();
    expect(fake.calls.map((c) => c.container)).toEqual(['a']);
    expect(ends).toHaveLength(1);
    expect(ends[0]!.end.interrupted).toBe(true);
    expect(queue.enqueue('c', 'backup')).toBe('merged');
  });

  it('concurrency can change while running', async () => {
    const fake = fakeRunner(() => 'hold');
    const { queue } = queueWith(fake.runner);
    for (const name of ['a', 'b', 'c']) queue.enqueue(name, 'backup');
    await tick();
    expect(fake.calls).toHaveLength(1);
    queue.setConcurrency(3);
    await tick();
    expect(fake.calls).toHaveLength(3);
    await queue.shutdown();
  });
});
