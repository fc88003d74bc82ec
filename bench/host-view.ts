// Where lxc-backup sees the workload: at /mnt/lxc, read-only, as the backup container sees the
// host's /var/lib/lxc (DESIGN.md), when scripts/bench started us in a mount namespace of our
// own; else at its real, deeper path under the work directory.
//
// The depth matters to the overhead figure: lxc-backup backs up from the source `/`, so every
// path in its backup carries the host root's components, and duplicity's per-file cost grows
// with them (a full backup of one container: 9.2 s from the work directory's path, 8.8 s from
// /mnt/lxc, 8.8 s the loop's way). The loop's paths are relative to the container, so it does
// not pay this on either path. Measuring from /mnt/lxc measures what users run.
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { timed } from './run.js';

// The environment variable scripts/bench sets inside `unshare --mount`.
const PRIVATE_MOUNTS_ENV = 'LXC_BACKUP_BENCH_PRIVATE_MOUNTS';
const PRODUCTION_HOST_ROOT = '/mnt/lxc';

export interface HostView {
  // host_root for lxc-backup's policies.
  hostRoot: string;
  // How the view was made, for the report.
  description: string;
}

// Whether this process runs in the private mount namespace scripts/bench made for it.
function hasPrivateMounts(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[PRIVATE_MOUNTS_ENV] === '1';
}

// Mounts `realHostRoot` read-only at /mnt/lxc (over a tmpfs on /mnt, so nothing is created on
// the machine's own /mnt) when the mounts are private; mounts vanish with the namespace.
export async function productionHostView(realHostRoot: string, log: (line: string) => void): Promise<HostView> {
  const fallback = (why: string): HostView => {
    log(`${why}: lxc-backup reads ${realHostRoot}, a deeper path than /mnt/lxc (its overhead figure comes out higher)`);
    return { hostRoot: realHostRoot, description: `${realHostRoot} (not /mnt/lxc: ${why})` };
  };
  if (!hasPrivateMounts()) return fallback('no private mount namespace (run scripts/bench as root)');
  // The tmpfs over /mnt would hide a work directory under /mnt from everything after it.
  const real = resolve(realHostRoot);
  if (real === '/mnt' || real.startsWith('/mnt/')) return fallback('the work directory is under /mnt');
  try {
    await timed('mount', ['-t', 'tmpfs', '-o', 'size=1m,mode=0755', 'lxc-backup-bench', '/mnt']);
    await mkdir(PRODUCTION_HOST_ROOT);
    await timed('mount', ['--bind', realHostRoot, PRODUCTION_HOST_ROOT]);
    await timed('mount', ['-o', 'remount,bind,ro', PRODUCTION_HOST_ROOT]);
  } catch (error) {
    return fallback(`mounting /mnt/lxc failed (${(error as Error).message.split('\n')[0]})`);
  }
  return {
    hostRoot: PRODUCTION_HOST_ROOT,
    description: `${PRODUCTION_HOST_ROOT} (read-only bind mount of the workload, private to the bench)`,
  };
}
