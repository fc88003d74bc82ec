// Whether a container's rootfs is reached through a symlink. duplicity stores a link as a
// link, so a backup of a container whose rootfs is one holds nothing of its files while
// looking fine; such a container is `unsupported`, with the reason.
import { lstat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

// The reason when `rootfs` (inside `dir`) or a directory on the way to it is a symlink or not
// a directory; undefined when it is a real directory or missing (a container being created).
export async function rootfsLinkProblem(dir: string, rootfs: string): Promise<string | undefined> {
  const parts = relative(dir, rootfs)
    .split(sep)
    .filter((part) => part !== '');
  let path = dir;
  for (const part of parts) {
    path = join(path, part);
    const info = await lstat(path).catch(() => undefined);
    if (!info) return undefined;
    if (info.isSymbolicLink())
      return `rootfs ${rootfs} is reached through a symlink (${path}): only a real directory inside the container directory is backed up`;
    if (!info.isDirectory()) return `rootfs ${rootfs} is not a directory (${path})`;
  }
  return undefined;
}
