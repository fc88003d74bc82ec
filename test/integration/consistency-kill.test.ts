// The process holding the helper session (a `lxc-backup backup` in freeze mode) is killed with
// SIGKILL while the guest is frozen: the helper sees the session end and thaws the guest at
// once, long before max_freeze. Real LXC, real duplicity, the real host helper.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../support/temp.js';
import { waitFor } from '../support/wait-for.js';
import { REPO } from './agent-helpers.js';
import {
  addInitJob,
  type ConsistencyWorld,
  createGuest,
  destroyGuest,
  freezerState,
  makeConsistencyWorld,
  startGuest,
  startHelper,
  writePolicy,
} from './consistency-world.js';

const NAME = `consistency-kill-${randomBytes(3).toString('hex')}`;
let world: ConsistencyWorld;

describe('consistency: the agent dies while the guest is frozen', () => {
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
});
