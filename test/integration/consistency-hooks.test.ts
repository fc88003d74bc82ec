// Guest hooks, run inside the guest by the real host helper: a pre-backup hook's dump lands in
// the same backup set; a failing one (on_failure: fail) fails the job with its own words before
// anything is frozen. A guest the admin froze is backed up live and left frozen; a stopped
// one is recorded `stopped`. Real LXC, real duplicity.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../support/temp.js';
import {
  backup,
  type ConsistencyWorld,
  createGuest,
  destroyGuest,
  freezerState,
  guestState,
  makeConsistencyWorld,
  must,
  restore,
  startGuest,
  startHelper,
  writePolicy,
} from './consistency-world.js';

const NAME = `consistency-hook-${randomBytes(3).toString('hex')}`;
let world: ConsistencyWorld;
let rootfs: string;

async function writeHook(phase: 'pre' | 'post', body: string): Promise<void> {
  const dir = join(rootfs, 'etc/lxc-backup');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, `${phase}-backup`), `#!/bin/sh\n${body}\n`);
  await chmod(join(dir, `${phase}-backup`), 0o755);
}

describe('consistency: guest hooks', () => {
  beforeAll(async () => {
    world = await makeConsistencyWorld(await makeTempDir('consistency-hook', '/var/tmp'));
    rootfs = await createGuest(world, NAME);
    await mkdir(join(rootfs, 'var/backups'), { recursive: true });
    await startGuest(world, NAME);
    await startHelper(world);
  }, 120_000);

  afterAll(async () => {
    await destroyGuest(world, NAME);
    await world.helper?.stop();
    await removeDir(world.dir);
  }, 120_000);

  it('a pre-backup dump is in the same backup set; both hooks are recorded', async () => {
    await writeHook('pre', 'echo "dump $$ $(cat /proc/uptime)" > /var/backups/db.sql && echo dumped');
    await writeHook('post', 'echo post-ran');
    await writePolicy(world, ['consistency: freeze']);
    const outcome = await backup(world, NAME);
    expect(outcome.failure?.message).toBeUndefined();
    expect(outcome.consistency?.mode).toBe('freeze');
    expect(outcome.consistency?.hooks).toEqual([
      { phase: 'pre', exit_code: 0, output: expect.stringContaining('dumped') },
      { phase: 'post', exit_code: 0, output: expect.stringContaining('post-ran') },
    ]);
    const dump = await readFile(join(rootfs, 'var/backups/db.sql'), 'utf8');
    expect(dump).toMatch(/^dump \d+ /);
    const to = join(world.dir, 'restore-dump');
    await restore(world, NAME, to);
    expect(await readFile(join(to, 'rootfs/var/backups/db.sql'), 'utf8')).toBe(dump);
  }, 300_000);

  it('a failing pre-backup hook with on_failure: fail fails the job with its message; nothing frozen, no new set', async () => {
    await writeHook('pre', 'echo "pg_dumpall: connection refused" >&2; exit 3');
    await writePolicy(world, ['consistency: freeze', 'hooks: { on_failure: fail }']);
    const sets = () => readdir(join(world.target, NAME)).catch(() => [] as string[]);
    const before = await sets();
    const outcome = await backup(world, NAME);
    expect(outcome.ok).toBe(false);
    expect(outcome.failure?.message).toBe(`pre-backup hook in ${NAME} exited 3: pg_dumpall: connection refused`);
    expect(outcome.consistency?.hooks).toEqual([{ phase: 'pre', exit_code: 3, output: expect.stringContaining('connection refused') }]);
    expect(await guestState(world, NAME)).toBe('RUNNING');
    expect(await freezerState(world, NAME)).toBe('THAWED');
    expect(await sets()).toEqual(before);
    // The helper's log after the failing hook ran: no freeze was asked for.
    const log = world.helper?.output() ?? '';
    const at = log.lastIndexOf('"exit_code":3');
    expect(at).toBeGreaterThan(0);
    const afterHook = log.slice(at);
    expect(afterHook).not.toContain('"verb":"freeze"');
  }, 300_000);

  it('the same failing hook with on_failure: warn is recorded and the backup goes on', async () => {
    await writePolicy(world, ['consistency: freeze', 'hooks: { on_failure: warn }']);
    const outcome = await backup(world, NAME);
    expect(outcome.failure?.message).toBeUndefined();
    expect(outcome.consistency?.hooks?.[0]).toMatchObject({ phase: 'pre', exit_code: 3 });
  }, 300_000);

  it('a guest the admin froze: backed up live with the reason, no hooks, and left frozen', async () => {
    await must('lxc-cgroup', ['-P', world.lxcpath, '-n', NAME, 'freezer.state', 'FROZEN']);
    try {
      await writePolicy(world, ['consistency: freeze']);
      const outcome = await backup(world, NAME);
      expect(outcome.failure?.message).toBeUndefined();
      expect(outcome.consistency).toEqual({ mode: 'live', reason: expect.stringContaining('already FROZEN') });
      expect(await freezerState(world, NAME)).toBe('FROZEN');
    } finally {
      await must('lxc-cgroup', ['-P', world.lxcpath, '-n', NAME, 'freezer.state', 'THAWED']);
    }
  }, 300_000);

  it('a stopped guest is recorded as stopped: no freeze, no hooks', async () => {
    await must('lxc-stop', ['-P', world.lxcpath, '-n', NAME, '-k']);
    await writePolicy(world, ['consistency: freeze']);
    const outcome = await backup(world, NAME);
    expect(outcome.failure?.message).toBeUndefined();
    expect(outcome.consistency).toEqual({ mode: 'stopped' });
  }, 300_000);
});
