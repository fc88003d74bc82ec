// Fixtures of the host helper's integration tests: the built helper bundle started as a child
// process on a temp socket (no systemd), a temp lxcpath with busybox guests (no network) whose
// names start with "helper-", and cleanup of all of it.
import { execa } from 'execa';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type FixtureProcess, startFixtureProcess } from '../support/fixture-process.js';
import { makeTempDir, removeDir } from '../support/temp.js';

// Builds dist/lxc-backup-helper.mjs into `dir` and returns its path.
export async function buildHelperBundle(dir: string): Promise<string> {
  const bundle = join(dir, 'lxc-backup-helper.mjs');
  await execa('node', ['scripts/build.mjs'], {
    env: { LXC_BACKUP_BUILD_OUT: join(dir, 'lxc-backup.mjs'), LXC_BACKUP_HELPER_BUILD_OUT: bundle },
  });
  return bundle;
}

// The directories one helper works with.
export interface HelperDirs {
  work: string;
  lxcpath: string;
  socket: string;
  stateDir: string;
  restoreRoot: string;
}

// A work dir on disk (rootfs trees do not belong in a tmpfs) with an lxcpath, state and restore scratch.
export async function makeHelperDirs(prefix: string, lxcpath?: string): Promise<HelperDirs> {
  const work = await makeTempDir(prefix, '/var/tmp');
  const dirs = {
    work,
    lxcpath: lxcpath ?? join(work, 'lxc'),
    socket: join(work, 'run', 'helper.sock'),
    stateDir: join(work, 'state'),
    restoreRoot: join(work, 'restore'),
  };
  // Searchable by others, as /var/lib is: the boot-test container's unprivileged root passes through it.
  await chmod(work, 0o711);
  await mkdir(dirs.lxcpath, { recursive: true });
  await mkdir(dirs.restoreRoot, { recursive: true });
  return dirs;
}

// The name every helper test uses for "the backup container" (a real guest in some tests).
export const BACKUP_CONTAINER = 'helper-backup';

// Starts the helper on `dirs` and resolves once it listens.
export function startHelper(bundle: string, dirs: HelperDirs, args: string[] = []): Promise<FixtureProcess> {
  return startFixtureProcess(
    'node',
    [
      bundle,
      '--socket',
      dirs.socket,
      '--lxcpath',
      dirs.lxcpath,
      '--backup-container',
      BACKUP_CONTAINER,
      '--state-dir',
      dirs.stateDir,
      '--restore-root',
      dirs.restoreRoot,
      ...args,
    ],
    { ready: /host helper listening/, timeoutMs: 60_000 },
  );
}

// The helper's log lines (JSON) as objects.
export function helperLog(helper: FixtureProcess): Record<string, unknown>[] {
  return helper
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

// Creates a busybox guest without network in `lxcpath` (on btrfs with `-B btrfs`), started unless told.
export async function createGuest(dirs: HelperDirs, name: string, options: { btrfs?: boolean; start?: boolean } = {}): Promise<string> {
  const conf = join(dirs.work, 'net-none.conf');
  await writeFile(conf, 'lxc.net.0.type = empty\n');
  await execa('lxc-create', ['-P', dirs.lxcpath, '-n', name, '-t', 'busybox', '-f', conf, ...(options.btrfs ? ['-B', 'btrfs'] : [])]);
  if (options.start !== false) await execa('lxc-start', ['-P', dirs.lxcpath, '-n', name]);
  return join(dirs.lxcpath, name, 'rootfs');
}

// lxc-info's state of a guest.
export async function guestState(dirs: HelperDirs, name: string): Promise<string> {
  return (await execa('lxc-info', ['-P', dirs.lxcpath, '-n', name, '-s', '-H'], { reject: false })).stdout.trim();
}

// Stops and destroys every guest of `dirs`, then removes the work dir (unless it is kept for a mount).
export async function removeGuests(dirs: HelperDirs, options: { keepWork?: boolean } = {}): Promise<void> {
  const names = (await execa('lxc-ls', ['-P', dirs.lxcpath, '-1'], { reject: false })).stdout.split(/\s+/).filter(Boolean);
  for (const name of names) {
    await execa('lxc-unfreeze', ['-P', dirs.lxcpath, '-n', name], { reject: false });
    await execa('lxc-stop', ['-P', dirs.lxcpath, '-n', name, '-k'], { reject: false });
    await execa('lxc-destroy', ['-P', dirs.lxcpath, '-n', name], { reject: false });
  }
  if (!options.keepWork) await removeDir(dirs.work);
}

// A random suffix for guest names, so runs never collide.
export function guestName(what: string): string {
  return `helper-${what}-${Math.random().toString(16).slice(2, 8)}`;
}
