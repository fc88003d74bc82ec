import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDaemon } from '../../../agent/daemon/daemon.js';
import type { Daemon } from '../../../agent/daemon/daemon-options.js';
import { emptyState, type AgentState } from '../../../agent/daemon/state.js';
import type { JobRequest, JobRunner } from '../../../agent/core/job.js';
import type { Log } from '../../../agent/core/log.js';
import { parsePolicy } from '../../../agent/policy/parse.js';
import type { Policy } from '../../../agent/policy/schema.js';
import { makeTempDir, removeDir } from '../../support/temp.js';

let root: string;
let daemon: Daemon | undefined;
const calls: JobRequest[] = [];
const lines: string[] = [];
const log: Log = { info: (_, m) => lines.push(m), warn: (_, m) => lines.push(m), error: (_, m) => lines.push(m) };
const runner: JobRunner = {
  run: async (request) => {
    calls.push(request);
    return { ok: true, durationMs: 1 };
  },
};

// Polls until `check` holds (the watcher's events come when they come), failing after `ms`.
async function until(check: () => boolean, ms = 5000): Promise<void> {
  for (const started = Date.now(); !check(); await new Promise((resolve) => setTimeout(resolve, 20))) {
    if (Date.now() - started > ms) throw new Error(`condition not met within ${ms} ms`);
  }
}

function policy(extra: string, firstBackup = 'next_slot'): Policy {
  const text = `version: 1\nhost_root: ${root}\nstate_dir: ${root}-state\ndefaults: { schedule: "0 3 * * *", encryption: { mode: none }, retention: { older_than: null } }\nnew_containers: { settle: 1s, first_backup: ${firstBackup} }\n${extra}`;
  const result = parsePolicy(text, 'policy.yaml');
  if (!result.policy) throw new Error(result.problems.map((p) => p.message).join('; '));
  return result.policy;
}

async function container(name: string, config = ''): Promise<void> {
  await mkdir(join(root, name, 'rootfs'), { recursive: true });
  await writeFile(join(root, name, 'config'), config);
}

function start(p: Policy, state: AgentState = emptyState()): Promise<void> {
  daemon = createDaemon({
    policyPath: 'policy.yaml',
    policy: p,
    runner,
    log,
    hostname: 'backup',
    state,
    writeState: async () => undefined,
  });
  return daemon.start();
}

const byName = (d: Daemon) => Object.fromEntries(d.status().containers.map((c) => [c.name, c]));

beforeEach(async () => {
  root = await makeTempDir('daemon');
  calls.length = 0;
  lines.length = 0;
});
afterEach(async () => {
  await daemon?.stop();
  daemon = undefined;
  await removeDir(root);
});

describe('daemon', () => {
  it('reports each container state and never schedules itself, ignored or disabled ones', async () => {
    await container('web');
    await container('backup');
    await container('scratch');
    await container('tmp-1');
    await container('rbd1', 'lxc.rootfs.path = rbd:tank/rbd1');
    await start(policy('containers: { scratch: { enabled: false } }\nignore: ["tmp-*"]'), {
      version: 1,
      containers: { gone: { last_success: '2030-01-01T00:00:00.000Z' } },
    });
    const rows = byName(daemon!);
    expect(Object.keys(rows)).toEqual(['backup', 'gone', 'rbd1', 'scratch', 'web']);
    expect(rows.web).toMatchObject({ state: 'pending', next_run: expect.stringMatching(/T/) });
    expect(rows.backup).toMatchObject({ state: 'disabled', next_run: null });
    expect(rows.scratch).toMatchObject({ state: 'disabled', next_run: null });
    expect(rows.rbd1).toMatchObject({ state: 'unsupported', last_error: expect.stringMatching(/rbd/) });
    expect(rows.gone).toMatchObject({ state: 'orphaned', orphaned_since: expect.stringMatching(/T/) });
    expect(calls).toEqual([]);
  });

  it('catches up a missed slot and resumes an interrupted backup at start', async () => {
    await container('missed');
    await container('fresh');
    await container('cut');
    const recent = new Date().toISOString();
    await start(policy(''), {
      version: 1,
      containers: {
        missed: { last_attempt: '2001-01-01T00:00:00.000Z' },
        fresh: { last_attempt: recent },
        cut: { last_attempt: recent, interrupted: true },
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls.map((c) => c.container).sort()).toEqual(['cut', 'missed']);
  });

  it('keeps the last good policy on a broken edit and applies a good one, touching only what changed', async () => {
    await container('a');
    await container('b');
    await start(policy(''));
    const before = byName(daemon!);
    daemon!.applyReload({ problems: ['policy.yaml:3:13 defaults.schedule: expected a cron expression, got "nope"'] });
    expect(daemon!.status().policy).toEqual({ path: 'policy.yaml', valid: false, error: expect.stringContaining('policy.yaml:3:13') });
    expect(byName(daemon!)).toEqual(before);
    daemon!.applyReload({ policy: policy('containers: { a: { enabled: false }, b: { schedule: "30 5 * * *" } }') });
    const after = byName(daemon!);
    expect(daemon!.status().policy.valid).toBe(true);
    expect(after.a).toMatchObject({ state: 'disabled', next_run: null });
    expect(new Date(after.b!.next_run!).getHours()).toBe(5);
    expect(lines.some((line) => line.includes('rejected'))).toBe(true);
  });

  it('orphans a removed container, takes on a new one after settle, and rejects manual backups of unknown names', async () => {
    await container('a');
    await start(policy('', 'immediate'));
    calls.length = 0;
    await container('b');
    await until(() => calls.length > 0);
    expect(calls.map((c) => c.container)).toEqual(['b']);
    await rm(join(root, 'a'), { recursive: true });
    await until(() => byName(daemon!).a?.state === 'orphaned');
    expect(byName(daemon!).a).toMatchObject({ state: 'orphaned', next_run: null });
    expect(daemon!.trigger('backup', ['a', 'b', 'nope'], true)).toEqual({
      queued: ['b'],
      merged: [],
      skipped: [{ name: 'a', reason: 'orphaned: its directory is gone' }],
      unknown: ['nope'],
    });
  }, 10_000);
});
