// The temporary container of a boot test: made in the helper's own lxcpath (under state_dir,
// never the host's store), its rootfs a bind of the checked directory, and removed without any
// recursive delete (the bind must be gone before a directory is removed).
import { randomBytes } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { chmod, mkdir, rmdir, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoCode, errorMessage } from '../core/error-message.js';
import { bootConfig } from './boot-config.js';
import type { HelperContext } from './context.js';
import { dropHeld, writeHeld } from './held-records.js';
import { lxcKill } from './lxc-commands.js';
import { runBounded, runChecked } from './run-bounded.js';

// LXC's log of the start, in the container's directory (read for the reply, removed with it).
export const START_LOG = 'start.log';

// A boot-test container: its name and the lxcpath it lives in.
export interface BootContainer {
  name: string;
  lxcpath: string;
}

// Makes the container: record first, then directories, the bind of `rootfs` (an open
// directory, bound through /proc so that the path cannot be swapped; --no-canonicalize, or
// mount(8) would resolve the link to a path string again), and the config.
export async function makeBootContainer(ctx: HelperContext, rootfs: FileHandle): Promise<BootContainer> {
  const name = `lxc-backup-boot-${randomBytes(6).toString('hex')}`;
  const lxcpath = join(ctx.config.state_dir, 'boot', name);
  await writeHeld(ctx.config.state_dir, { kind: 'boot', name, lxcpath });
  const mountpoint = join(lxcpath, name, 'rootfs');
  await mkdir(mountpoint, { recursive: true, mode: 0o700 });
  // The container's root (an unmapped uid on the host) must be able to pass through to its
  // rootfs: search, but not read, on each directory above it.
  for (const dir of [ctx.config.state_dir, join(ctx.config.state_dir, 'boot'), lxcpath, join(lxcpath, name)]) await chmod(dir, 0o711);
  await runChecked(['mount', '--no-canonicalize', '--bind', `/proc/${process.pid}/fd/${rootfs.fd}`, mountpoint], {
    timeoutMs: ctx.lxc.timeoutMs,
  });
  await writeFile(join(lxcpath, name, 'config'), bootConfig({ name, rootfs: mountpoint, idmapBase: ctx.config.boot_idmap_base }), {
    mode: 0o600,
  });
  return { name, lxcpath };
}

// Stops the container, unbinds its rootfs and removes what the helper made; logs what it could not.
export async function removeBootContainer(ctx: HelperContext, lxcpath: string, name: string): Promise<void> {
  const timeoutMs = ctx.lxc.timeoutMs;
  await lxcKill({ lxcpath, timeoutMs }, name);
  const mountpoint = join(lxcpath, name, 'rootfs');
  while ((await runBounded(['mountpoint', '-q', mountpoint], { timeoutMs })).code === 0) {
    const result = await runBounded(['umount', mountpoint], { timeoutMs });
    if (result.code !== 0) await runChecked(['umount', '-l', mountpoint], { timeoutMs });
  }
  await unlink(join(lxcpath, name, 'config')).catch(() => undefined);
  await unlink(join(lxcpath, name, START_LOG)).catch(() => undefined);
  for (const dir of [mountpoint, join(lxcpath, name), lxcpath]) {
    await rmdir(dir).catch((error) => {
      if (errnoCode(error) !== 'ENOENT') throw new Error(`removing boot-test ${name}: ${dir}: ${errorMessage(error)}`);
    });
  }
  await dropHeld(ctx.config.state_dir, { kind: 'boot', name });
}
