// The run sequence around the backup passes, with a fake helper session: which requests go out
// in which order, what each mode records, and every fallback with its reason.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HelperReply, HelperVerb } from '../../../../agent/core/helper-protocol.js';
import { HelperError, type HelperSession } from '../../../../agent/core/helper-session.js';
import type { JobOutcome } from '../../../../agent/core/job.js';
import type { HelperLink } from '../../../../agent/engine/consistency/helper-link.js';
import { backupConsistently, type PassRunner } from '../../../../agent/engine/consistency/run.js';
import type { JobContext } from '../../../../agent/engine/job-context.js';

type Answer = (call: { verb: HelperVerb } & Record<string, unknown>) => object | Error;

let dir: string;
let calls: string[];
let passes: Array<{ wrap: boolean; incremental: boolean }>;

function ctxWith(settings: Partial<{ consistency: string; on_failure: string }> = {}): JobContext {
  return {
    policy: { host_root: join(dir, 'root'), state_dir: join(dir, 'state'), host_helper: '/nowhere' },
    layout: { name: 'web', containerDir: join(dir, 'root/web') },
    container: {
      settings: {
        consistency: settings.consistency ?? 'auto',
        max_freeze: '30s',
        hooks: { enabled: true, timeout: '1m', on_failure: settings.on_failure ?? 'fail' },
      },
    },
  } as unknown as JobContext;
}

function session(answer: Answer): HelperSession {
  return {
    async request(call) {
      calls.push('phase' in call ? `hook-${call.phase}` : call.verb);
      const reply = answer(call as never);
      if (reply instanceof Error) throw reply;
      return { id: 1, ok: true, ...reply } as HelperReply<typeof call.verb>;
    },
    close() {
      calls.push('close');
    },
  };
}

// Replies as a helper would for a RUNNING guest: no hooks in it, freeze and thaw fine.
const plain: Answer = (call) => {
  if (call.verb === 'hook') return { ran: false, output: '', duration_ms: 1 };
  if (call.verb === 'thaw') return { paused_ms: 120, limit_hit: false };
  return {};
};

function link(answer: Answer, state = 'RUNNING', backing: 'dir' | 'btrfs' = 'dir'): HelperLink {
  return { session: session(answer), helper: { available: true, state, backing, snapshot: backing === 'btrfs' } };
}

const pass: PassRunner = async (p) => {
  passes.push({ wrap: p.wrap !== undefined, incremental: p.incremental ?? false });
  return { ok: true, durationMs: 10, bytes: 5 } satisfies JobOutcome;
};

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lxc-backup-consistency-run-'));
  calls = [];
  passes = [];
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('backupConsistently', () => {
  it('freeze: hooks around a live pass and a frozen incremental; pause recorded; session closed', async () => {
    const outcome = await backupConsistently(ctxWith({ consistency: 'freeze' }), pass, undefined, link(plain));
    expect(calls).toEqual(['hook-pre', 'freeze', 'thaw', 'hook-post', 'close']);
    expect(passes).toEqual([
      { wrap: false, incremental: false },
      { wrap: false, incremental: true },
    ]);
    expect(outcome).toMatchObject({ ok: true, bytes: 10, consistency: { mode: 'freeze', paused_ms: 120 } });
  });

  it('a freeze that hit max_freeze is live with the reason; the next try runs live at once, the one after freezes', async () => {
    const limited: Answer = (call) => (call.verb === 'thaw' ? { paused_ms: 30_000, limit_hit: true } : plain(call));
    const first = await backupConsistently(ctxWith({ consistency: 'freeze' }), pass, undefined, link(limited));
    expect(first.consistency).toMatchObject({ mode: 'live', paused_ms: 30_000, reason: expect.stringContaining('hit max_freeze 30s') });
    calls = [];
    const second = await backupConsistently(ctxWith({ consistency: 'freeze' }), pass, undefined, link(plain));
    expect(second.consistency).toMatchObject({ mode: 'live', reason: expect.stringMatching(/the last freeze \(.*\) hit max_freeze/) });
    expect(calls).not.toContain('freeze');
    calls = [];
    const third = await backupConsistently(ctxWith({ consistency: 'freeze' }), pass, undefined, link(plain));
    expect(third.consistency?.mode).toBe('freeze');
  });

  it('an admin-frozen guest: live, no freeze asked, no hooks, never thawed', async () => {
    const outcome = await backupConsistently(ctxWith(), pass, undefined, link(plain, 'FROZEN'));
    expect(calls).toEqual(['close']);
    expect(outcome.consistency).toMatchObject({ mode: 'live', reason: expect.stringContaining('already FROZEN') });
  });

  it('a freeze the helper refuses: the live pass stands, recorded live with the helper words', async () => {
    const refusing: Answer = (call) =>
      call.verb === 'freeze' ? new HelperError('refused', 'host helper refused freeze: web is FROZEN') : plain(call);
    const outcome = await backupConsistently(ctxWith({ consistency: 'freeze' }), pass, undefined, link(refusing));
    expect(passes).toHaveLength(1);
    expect(calls).not.toContain('thaw');
    expect(outcome).toMatchObject({
      ok: true,
      consistency: { mode: 'live', reason: 'no freeze: host helper refused freeze: web is FROZEN' },
    });
  });

  it('a failing snapshot falls back to freeze with the reason', async () => {
    const failing: Answer = (call) =>
      call.verb === 'snapshot' ? new HelperError('failed', 'host helper failed snapshot: btrfs: no space') : plain(call);
    const outcome = await backupConsistently(ctxWith(), pass, undefined, link(failing, 'RUNNING', 'btrfs'));
    expect(calls).toEqual(['hook-pre', 'snapshot', 'freeze', 'thaw', 'hook-post', 'close']);
    expect(outcome.consistency).toMatchObject({
      mode: 'freeze',
      reason: 'no snapshot: snapshot failed: host helper failed snapshot: btrfs: no space',
    });
  });

  it('no helper: one live pass, the reason names the socket', async () => {
    const outcome = await backupConsistently(ctxWith(), pass, undefined, {
      helper: { available: false, reason: 'host helper not available at /s: ENOENT' },
    });
    expect(passes).toHaveLength(1);
    expect(outcome.consistency).toEqual({ mode: 'live', reason: 'host helper not available at /s: ENOENT' });
  });

  it('a stopped guest: stopped, no hooks, no freeze', async () => {
    const outcome = await backupConsistently(ctxWith({ consistency: 'freeze' }), pass, undefined, link(plain, 'STOPPED'));
    expect(calls).toEqual(['close']);
    expect(outcome.consistency).toEqual({ mode: 'stopped' });
  });

  it('a failing pre-backup hook (fail) ends the job before any pass or freeze', async () => {
    const hookFails: Answer = (call) =>
      call.verb === 'hook' ? { ran: true, exit_code: 2, output: 'one\npg_dump: refused\n', duration_ms: 3 } : plain(call);
    const outcome = await backupConsistently(ctxWith({ consistency: 'freeze' }), pass, undefined, link(hookFails));
    expect(calls).toEqual(['hook-pre', 'close']);
    expect(passes).toEqual([]);
    expect(outcome).toMatchObject({
      ok: false,
      failure: { kind: 'permanent', message: 'pre-backup hook in web exited 2: pg_dump: refused' },
      consistency: { hooks: [{ phase: 'pre', exit_code: 2, output: 'one\npg_dump: refused\n' }] },
    });
  });

  it('a failing post-backup hook (fail) fails a good backup; (warn) keeps it ok', async () => {
    const postFails: Answer = (call) =>
      call.verb === 'hook' && call.phase === 'post' ? { ran: true, exit_code: 1, output: 'restart failed', duration_ms: 3 } : plain(call);
    const failed = await backupConsistently(ctxWith({ consistency: 'live' }), pass, undefined, link(postFails));
    expect(failed).toMatchObject({ ok: false, failure: { message: 'post-backup hook in web exited 1: restart failed' } });
    const warned = await backupConsistently(ctxWith({ consistency: 'live', on_failure: 'warn' }), pass, undefined, link(postFails));
    expect(warned).toMatchObject({ ok: true, consistency: { mode: 'live', hooks: [{ phase: 'post', exit_code: 1 }] } });
  });
});

describe('a stopped job', () => {
  it('ends the helper session at once, so the helper kills the hook and thaws', async () => {
    const abort = new AbortController();
    const hanging: Answer = (call) => {
      if (call.verb === 'hook') abort.abort();
      return plain(call);
    };
    await backupConsistently(ctxWith({ consistency: 'freeze' }), pass, abort.signal, link(hanging));
    expect(calls.slice(0, 2)).toEqual(['hook-pre', 'close']);
  });
});
