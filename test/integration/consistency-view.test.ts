// The snapshot view (engine/consistency/snapshot-view.ts) with real unshare and mount: a tool
// run through it sees the snapshot at the live rootfs's path, with arguments no shell parses,
// and nothing of the bind is left in the test's own mount namespace.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotDirOf, snapshotWrap, viewProblem } from '../../agent/engine/consistency/snapshot-view.js';
import { spawnProcess } from '../../agent/engine/process/spawn.js';
import { makeTempDir, removeDir } from '../support/temp.js';

let dir: string;

describe('snapshot view', () => {
  beforeAll(async () => {
    dir = await makeTempDir('consistency-view');
    for (const sub of ['root/.snaps/web/rootfs', 'root/web/rootfs']) await mkdir(join(dir, sub), { recursive: true });
    await writeFile(join(dir, 'root/.snaps/web/rootfs/x'), 'snapshot\n');
    await writeFile(join(dir, 'root/web/rootfs/x'), 'live\n');
  });
  afterAll(() => removeDir(dir));

  it('a wrapped tool reads the snapshot at the rootfs path; the bind is read-only and private', async () => {
    const place = await snapshotDirOf(join(dir, 'root'), '.snaps/web/rootfs');
    expect(place).toEqual({ dir: join(dir, 'root/.snaps/web/rootfs') });
    const wrap = snapshotWrap(join(dir, 'root/.snaps/web/rootfs'), join(dir, 'root/web/rootfs'));
    expect(await viewProblem(wrap)).toBeUndefined();
    const cat = wrap({ file: 'cat', args: ['--', join(dir, 'root/web/rootfs/x'), '$(touch /tmp/no)'] });
    const result = await spawnProcess(cat.file, cat.args, { timeoutMs: 10_000 });
    expect(result.stdout.trim()).toBe('snapshot');
    expect(result.stderr).toContain('$(touch /tmp/no)');
    const write = wrap({ file: 'touch', args: [join(dir, 'root/web/rootfs/y')] });
    expect((await spawnProcess(write.file, write.args, { timeoutMs: 10_000 })).exitCode).not.toBe(0);
    expect(await readFile(join(dir, 'root/web/rootfs/x'), 'utf8')).toBe('live\n');
    expect(await readFile('/proc/self/mountinfo', 'utf8')).not.toContain(join(dir, 'root/web/rootfs'));
  });

  it('a failing bind is a reason to fall back, not a tool error', async () => {
    const wrap = snapshotWrap(join(dir, 'missing'), join(dir, 'root/web/rootfs'));
    expect(await viewProblem(wrap)).toMatch(/private mount namespace .* does not work here \(exit 125\)/);
  });

  it.each(['../etc', '/abs', 'a//b', '.snaps/web/./rootfs', 'web/rootfs\nx', ''])('refuses the helper path %j', async (path) => {
    expect(await snapshotDirOf(join(dir, 'root'), path)).toMatchObject({ problem: expect.any(String) });
  });

  it('refuses a snapshot path that is not a real directory all the way', async () => {
    expect(await snapshotDirOf(join(dir, 'root'), '.snaps/web/none')).toMatchObject({ problem: expect.stringContaining('found nothing') });
  });
});
