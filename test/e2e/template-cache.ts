// lxc-create's debian template cache for the e2e files that provision only to get a backup
// container: the template's trixie rootfs with the backup container's packages installed, so
// the template's own apt-get update and install run but find nothing to download.
// provision.test.ts and fresh-host.test.ts keep the template's plain cache, so provision's
// package install from the network stays tested on every run.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mustRun, REPO } from './lxc.js';

// Kept across runs on this machine (about 650 MB), beside lxc-create's own /var/cache/lxc.
export const PREPARED_CACHE = '/var/cache/lxcb-test';
// Where the debian template keeps its rootfs cache by default; the prepared one starts from it.
const TEMPLATE_CACHE = '/var/cache/lxc/debian';
// Rebuilt after a week, so the packages in it do not drift far from the archive's.
const MAX_AGE_MS = 7 * 24 * 3600 * 1000;

// LXCB_CONTAINER_PACKAGES from lxc/common.sh, the list provision hands the template.
async function containerPackages(): Promise<string> {
  const script = 'source "$1"; echo "${LXCB_CONTAINER_PACKAGES[@]}"';
  return String((await mustRun('bash', ['-c', script, 'bash', join(REPO, 'lxc/common.sh')])).stdout).trim();
}

// The environment for scripts/provision with LXC_CACHE_PATH at the prepared cache, which is
// built first when missing, a week old, or made for another package list. The plain
// environment when the template has no trixie cache of its own yet to start from (a fresh host).
export async function preparedCacheEnv(extra: NodeJS.ProcessEnv = {}): Promise<NodeJS.ProcessEnv> {
  const arch = String((await mustRun('dpkg', ['--print-architecture'])).stdout).trim();
  const packages = await containerPackages();
  const dir = join(PREPARED_CACHE, 'debian');
  const rootfs = join(dir, `rootfs-trixie-${arch}`);
  const stamp = `${rootfs}.packages`;
  const made = await stat(stamp).then(
    (s) => s.mtimeMs,
    () => 0,
  );
  const current = Date.now() - made < MAX_AGE_MS && (await readFile(stamp, 'utf8').catch(() => '')) === packages;
  if (current && existsSync(join(rootfs, 'usr/bin/duplicity'))) return { ...process.env, ...extra, LXC_CACHE_PATH: PREPARED_CACHE };
  const source = join(TEMPLATE_CACHE, `rootfs-trixie-${arch}`);
  if (!existsSync(source)) return { ...process.env, ...extra };
  await mkdir(dir, { recursive: true });
  const build = join(dir, `.build-${randomBytes(3).toString('hex')}`);
  try {
    await mustRun('rsync', ['-SHaAX', `${source}/`, `${build}/`], { timeoutMs: 600_000 });
    await mustRun('chroot', [build, 'apt-get', 'update', '-qq'], { timeoutMs: 600_000 });
    const install = ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', '-qq', '--no-install-recommends'];
    await mustRun('chroot', [build, ...install, ...packages.split(' ')], { timeoutMs: 900_000 });
    await mustRun('chroot', [build, 'apt-get', 'clean']);
    await rm(stamp, { force: true });
    await rm(rootfs, { recursive: true, force: true });
    await rename(build, rootfs);
    await writeFile(stamp, packages);
  } finally {
    await rm(build, { recursive: true, force: true });
  }
  return { ...process.env, ...extra, LXC_CACHE_PATH: PREPARED_CACHE };
}
