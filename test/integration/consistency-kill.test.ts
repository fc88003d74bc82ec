// The process holding the helper session (a `lxc-backup backup` in freeze mode) is killed with
// SIGKILL while the guest is frozen: the helper sees the session end and thaws the guest at
// once, long before max_freeze. A frozen pass longer than max_freeze is cut by the helper and
// the set counts as live. Real LXC, real duplicity, the real host helper.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../support/temp.js';
import { waitFor } from '../support/wait-for.js';
import { REPO } from './agent-helpers.js';
import {
  addInitJob,
  backup,
  type ConsistencyWorld,
  createGuest,
  destroyGuest,
  freezerState,
  makeConsistencyWorld,
  must,
  startGuest,
  startHelper,
  writePolicy,
} from './consistency-world.js';

const NAME = `consistency-kill-${randomBytes(3).toString('hex')}`;
let world: ConsistencyWorld;

describe('consistency: what bounds a freeze (the session, max_freeze)', () => {
  beforeAll(async () => {
    world = await makeConsistencyWorld(await makeTempDir('consistency-kill', '/var/tmp'));
    await addInitJob(await createGuest(world, NAME), 'busy.sh', 'while :; do date > /now; done');
    await startGuest(world, NAME);
    await startHelper(world, 120);
  }, 120_000);

  afterAll(async () => {
    await destroyGuest(world, NAME);
    await world.helper?.stop();
    await removeDir(world.dir);
  }, 120_000);

  it('is thawed within seconds of the kill (max_freeze 120s)', async () => {
    await writePolicy(world, ['consistency: freeze', 'max_freeze: 120s']);
    // Its own process group, so the duplicity it leaves behind can be stopped after the test.
    const agent = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'agent/main.ts'), 'backup', NAME, '--policy', world.policyPath], {
      cwd: REPO,
      detached: true,
      stdio: 'ignore',
    });
    const pid = agent.pid ?? 0;
    try {
      await waitFor(async () => (await freezerState(world, NAME)) === 'FROZEN', 120_000, `${NAME} FROZEN`, { intervalMs: 20 });
      process.kill(pid, 'SIGKILL');
      const killed = Date.now();
      await waitFor(async () => (await freezerState(world, NAME)) === 'THAWED', 30_000, `${NAME} thawed after the kill`, {
        intervalMs: 50,
      });
      const thawedMs = Date.now() - killed;
      console.log(`thawed ${thawedMs} ms after the agent was killed`);
      expect(thawedMs).toBeLessThan(30_000);
      // The helper thawed it because the session ended, not at its limit.
      await waitFor(() => /"verb":"thaw-on-close","result":"ok"/.test(world.helper?.output() ?? ''), 10_000, 'the thaw-on-close log line');
      expect(world.helper?.output()).not.toMatch(/thaw-at-limit/);
    } finally {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // The group is gone already.
      }
    }
  }, 300_000);

  it('a freeze past max_freeze: the helper thaws, the set counts as live, the next try runs live at once', async () => {
    // 20 000 files make the frozen pass (capture and a duplicity incremental) last well over 1 s.
    await must('sh', ['-c', 'mkdir -p "$1" && cd "$1" && seq 1 20000 | xargs touch', 'sh', join(world.lxcpath, NAME, 'rootfs/data')]);
    await writePolicy(world, ['consistency: freeze', 'max_freeze: 1s']);
    const limited = await backup(world, NAME);
    expect(limited.failure?.message).toBeUndefined();
    expect(limited.consistency).toMatchObject({ mode: 'live', reason: expect.stringContaining('hit max_freeze 1s') });
    console.log(`max_freeze 1s: paused ${limited.consistency?.paused_ms} ms before the helper thawed`);
    expect(limited.consistency?.paused_ms).toBeLessThan(10_000);
    expect(await freezerState(world, NAME)).toBe('THAWED');
    const next = await backup(world, NAME);
    expect(next.consistency).toMatchObject({ mode: 'live', reason: expect.stringMatching(/the last freeze \(.*\) hit max_freeze 1s/) });
  }, 300_000);
});
