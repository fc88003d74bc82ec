// Acceptance (issue 12, finding 4): a guest tree of 2,200 nested 255-byte directory names and
// 1,000 files below them (~563 MB of `find` output) neither exhausts the shared agent's memory
// nor keeps another container from its backup; what was skipped is named in the outcome.
import { execa } from 'execa';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { captureMetadata } from '../../agent/engine/fidelity/capture.js';
import { decodeHardlinks } from '../support/find-output.js';
import { waitFor } from '../support/wait-for.js';
import {
  logLines,
  makeContainer,
  makeWorld,
  policyText,
  REPO,
  startAgent,
  writePolicy,
  type AgentProcess,
  type AgentWorld,
} from './agent-helpers.js';

const DEPTH = 2200;
const FILES = 1000;
const RSS_LIMIT_MB = 150;
// The agent as installed: the bundle, with the V8 flags templates/lxc-backup.sh gives the agent.
const AGENT_FLAGS = ['--max-semi-space-size=1', '--optimize-for-size', '--expose-gc'];

// Builds the tree with fd-relative calls (its paths exceed PATH_MAX, so no path-based call
// can reach the bottom). Every tenth file is a hard link to the one before; one shallow pair
// of links and an xattr show that the reachable part is still captured.
const BUILD = `
import os, sys
root, depth, files = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
for i in range(depth):
    name = ('d%05d' % i).ljust(255, 'x')
    os.mkdir(name, dir_fd=fd)
    inner = os.open(name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
    os.close(fd)
    fd = inner
for j in range(files):
    name = ('f%05d' % j).ljust(255, 'y')
    if j % 10 == 1:
        os.link(('f%05d' % (j - 1)).ljust(255, 'y'), name, src_dir_fd=fd, dst_dir_fd=fd)
    else:
        f = os.open(name, os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        os.write(f, b'x')
        os.close(f)
os.close(fd)
`;

async function buildHostile(rootfs: string): Promise<void> {
  await execa('python3', ['-c', BUILD, rootfs, String(DEPTH), String(FILES)]);
  await execa('ln', [join(rootfs, 'etc/file-0'), join(rootfs, 'etc/link-0')]);
  await execa('setfattr', ['-n', 'user.kept', '-v', 'yes', join(rootfs, 'etc/file-0')]);
}

// Peak and current resident memory of a process, in MB, from /proc/PID/status.
async function memoryMb(pid: number): Promise<{ hwm: number; rss: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { hwm: kb('VmHWM') / 1024, rss: kb('VmRSS') / 1024 };
}

let world: AgentWorld;
let agent: AgentProcess | undefined;

beforeEach(async () => {
  world = await makeWorld('capture-hostile');
});
afterEach(async () => {
  await agent?.stop();
  agent = undefined;
  // Node's recursive rm works on whole paths and fails with ENAMETOOLONG below PATH_MAX;
  // GNU rm walks with fds.
  await execa('rm', ['-rf', '--one-file-system', world.hostRoot]);
  await world.remove();
});

describe('capture of a hostile tree', () => {
  // slow: builds the tree, walks ~563 MB of find output and runs two real duplicity backups.
  it('keeps the agent under 150 MB, backs up the other container and names what was skipped', async () => {
    await makeContainer(world, 'normal', 5);
    await makeContainer(world, 'hostile', 1);
    await buildHostile(join(world.hostRoot, 'hostile', 'rootfs'));
    await writePolicy(world, policyText(world));
    const bundle = join(world.dir, 'lxc-backup.mjs');
    await execa('node', ['scripts/build.mjs'], { cwd: REPO, env: { LXC_BACKUP_BUILD_OUT: bundle } });
    agent = await startAgent(world, 15_000, [...AGENT_FLAGS, bundle]);
    const pid = agent.pid;
    const atReady = await memoryMb(pid);
    let peakRss = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const mem = await memoryMb(pid).catch(() => undefined);
        if (mem) peakRss = Math.max(peakRss, mem.rss);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    const ends = (): Array<Record<string, unknown>> => logLines(agent!).filter((l) => l.event === 'job-end' && l.action === 'backup');
    await waitFor(() => ends().length >= 2, 150_000, 'both backups to end', { intervalMs: 200 });
    const { hwm } = await memoryMb(pid);
    sampling = false;
    await sampler;
    console.log(
      `agent peak RSS during the hostile capture: VmHWM ${hwm.toFixed(1)} MB, highest VmRSS sampled ${peakRss.toFixed(1)} MB ` +
        `(at ready ${atReady.rss.toFixed(1)} MB; limit ${RSS_LIMIT_MB} MB)`,
    );
    const byName = new Map(ends().map((l) => [l.container, l]));
    expect(byName.get('normal')).toMatchObject({ outcome: 'succeeded' });
    expect(byName.get('normal')).not.toHaveProperty('skipped');
    const hostile = byName.get('hostile');
    console.log(`hostile job-end: ${JSON.stringify(hostile).slice(0, 600)}`);
    expect(hostile).toMatchObject({ outcome: 'succeeded', skipped: FILES + 1 });
    expect(hostile?.skipped_reason).toMatch(
      /^skipped 1000 files and xattrs below 1 paths: path longer than PATH_MAX \(4096 bytes\); e\.g\. rootfs\/d00000x+…y+ \(\d+ bytes\)/,
    );
    expect(hwm).toBeLessThan(RSS_LIMIT_MB);

    // The reachable part of the hostile container was still captured.
    const meta = join(world.stateDir, 'meta', 'hostile');
    const groups = decodeHardlinks(await readFile(join(meta, 'hardlinks.nul'))).map((g) => g.map(String).sort());
    expect(groups).toEqual([['rootfs/etc/file-0', 'rootfs/etc/link-0']]);
    expect(await readFile(join(meta, 'xattrs.dump'), 'latin1')).toContain('# file: rootfs/etc/file-0\nuser.kept=0x796573\n');
  }, 200_000);

  it('fails the capture with a message naming capture_timeout when the walk takes too long', async () => {
    const dir = join(world.hostRoot, 'slow');
    await makeContainer(world, 'slow', 1);
    await buildHostile(join(dir, 'rootfs'));
    await expect(captureMetadata(dir, join(world.dir, 'meta'), { timeoutMs: 20 })).rejects.toThrow(
      /^(getfattr|find) in .*\/slow timed out after 0 s \(capture_timeout\)$/,
    );
  }, 60_000);

  it('fails only this capture, with one line, when the hard links kept pass the budget', async () => {
    const dir = join(world.hostRoot, 'links');
    await makeContainer(world, 'links', 1);
    const script = 'import os,sys\nfor i in range(2000): os.link(sys.argv[1] + "/etc/file-0", sys.argv[1] + "/etc/l%05d" % i)';
    await execa('python3', ['-c', script, join(dir, 'rootfs')]);
    await expect(captureMetadata(dir, join(world.dir, 'meta-links'), { candidateBudget: 100_000 })).rejects.toThrow(
      /^more than 100000 bytes of hard-link and sparse-file paths \(\d+ files walked\); expected a tree whose hard links fit in memory$/,
    );
    const summary = await captureMetadata(dir, join(world.dir, 'meta-links'));
    expect(summary).toMatchObject({ hardlinkGroups: 1, skipped: { files: 0, xattrPaths: 0, examples: [] } });
  }, 60_000);
});
