// A guest writes a counter to two files, one after the other (each by rename, so a file is never
// half-written). At any one moment the pair is (n, n) or (n, n-1): /a is written first. A
// freeze-mode backup restores such a pair; a live one may restore /b ahead of /a (duplicity read
// /a, then /b later), which no moment ever had. Real LXC, real duplicity, the real host helper.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../support/temp.js';
import {
  addInitJob,
  backup,
  type ConsistencyWorld,
  createGuest,
  destroyGuest,
  makeConsistencyWorld,
  restore,
  startGuest,
  startHelper,
  writePolicy,
} from './consistency-world.js';

const NAME = `consistency-ctr-${randomBytes(3).toString('hex')}`;
const WRITER = 'i=0; while :; do i=$((i+1)); echo $i > /a.tmp; mv /a.tmp /a; echo $i > /b.tmp; mv /b.tmp /b; done';
let world: ConsistencyWorld;

// The restored pair, and whether some moment had it.
async function restoredPair(run: number): Promise<{ a: number; b: number; consistent: boolean }> {
  const to = join(world.dir, `restore-${run}`);
  await restore(world, NAME, to);
  const a = Number((await readFile(join(to, 'rootfs/a'), 'utf8')).trim());
  const b = Number((await readFile(join(to, 'rootfs/b'), 'utf8')).trim());
  return { a, b, consistent: a === b || a === b + 1 };
}

describe('consistency: a guest writing a counter to two files', () => {
  beforeAll(async () => {
    world = await makeConsistencyWorld(await makeTempDir('consistency-ctr', '/var/tmp'));
    await addInitJob(await createGuest(world, NAME), 'counter.sh', WRITER);
    await startGuest(world, NAME);
    await startHelper(world);
  }, 120_000);

  afterAll(async () => {
    await destroyGuest(world, NAME);
    await world.helper?.stop();
    await removeDir(world.dir);
  }, 120_000);

  it('freeze: the restored pair is one moment, and the outcome says freeze with the pause', async () => {
    await writePolicy(world, ['consistency: freeze']);
    const outcome = await backup(world, NAME);
    expect(outcome.failure?.message).toBeUndefined();
    expect(outcome.consistency).toMatchObject({ mode: 'freeze', paused_ms: expect.any(Number) });
    const pair = await restoredPair(0);
    console.log(`freeze: restored a=${pair.a} b=${pair.b}, paused ${outcome.consistency?.paused_ms} ms`);
    expect(pair.consistent).toBe(true);
  }, 300_000);

  it('live: 10 backups and restores, counting pairs no moment had (reported, not asserted)', async () => {
    await writePolicy(world, ['consistency: live']);
    let disagree = 0;
    for (let run = 1; run <= 10; run++) {
      const outcome = await backup(world, NAME);
      expect(outcome.ok).toBe(true);
      expect(outcome.consistency).toEqual({ mode: 'live' });
      const pair = await restoredPair(run);
      if (!pair.consistent) disagree++;
    }
    console.log(`live: ${disagree} of 10 restores had a pair no moment had`);
  }, 900_000);
});
