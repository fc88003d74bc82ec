// The identity of a container's directory (device and inode, without following links), so a
// backup can tell whether its source vanished or was replaced while duplicity read it:
// duplicity takes a missing file for a deleted one and reports success with what it found.
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';

interface Identity {
  dev: number;
  ino: number;
}

// The container directory's identity and its rootfs's (when it has one).
export interface SourceIdentity {
  dir: Identity;
  rootfs?: Identity;
}

async function identityOf(path: string, directory: boolean): Promise<Identity | undefined> {
  const info = await lstat(path).catch(() => undefined);
  if (!info || (directory && !info.isDirectory())) return undefined;
  return { dev: info.dev, ino: info.ino };
}

// The identity of `containerDir`, or undefined when it is missing or not a real directory.
export async function readSourceIdentity(containerDir: string): Promise<SourceIdentity | undefined> {
  const dir = await identityOf(containerDir, true);
  if (!dir) return undefined;
  const rootfs = await identityOf(join(containerDir, 'rootfs'), false);
  return rootfs ? { dir, rootfs } : { dir };
}

const same = (a: Identity | undefined, b: Identity | undefined): boolean => a?.dev === b?.dev && a?.ino === b?.ino;

// Why the backup that started with `before` cannot be trusted to hold the whole container,
// or undefined when the directory is still the one it read.
export async function sourceChangeSince(containerDir: string, before: SourceIdentity): Promise<string | undefined> {
  const after = await readSourceIdentity(containerDir);
  const what = !after
    ? 'disappeared'
    : !same(before.dir, after.dir)
      ? 'changed (replaced by another directory)'
      : before.rootfs && !same(before.rootfs, after.rootfs)
        ? `changed (its rootfs ${after.rootfs ? 'was replaced' : 'disappeared'})`
        : undefined;
  return what && `the container directory ${containerDir} ${what} during the backup; this set is incomplete`;
}
