// Moves a finished restore into its destination without ever following a symlink that is
// already there: an earlier restore into the same directory holds a guest's tree, whose
// symlinks may point anywhere (`rootfs/s -> /etc`).
import { lstat, mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoCode } from '../core/error-message.js';

// A destination that cannot be used, with a one-line reason.
export class RestorePlaceError extends Error {
  override name = 'RestorePlaceError';
}

// Makes sure every component of `relativeDir` below `root` is a real directory (creating the
// missing ones); a symlink or anything else on the way is refused.
async function ensureRealDirs(root: string, relativeDir: string): Promise<void> {
  // The root is the caller's own choice (--to DIR): created as given.
  await mkdir(root, { recursive: true });
  let current = root;
  for (const part of relativeDir.split('/').filter((p) => p !== '' && p !== '.')) {
    current = join(current, part);
    const info = await lstat(current).catch((error: unknown) => {
      if (errnoCode(error) === 'ENOENT') return undefined;
      throw error;
    });
    if (!info) await mkdir(current, { mode: 0o755 });
    else if (info.isSymbolicLink())
      throw new RestorePlaceError(
        `${current} is a symlink: a restore never writes through one (remove it, or restore into an empty directory)`,
      );
    else if (!info.isDirectory()) throw new RestorePlaceError(`${current} is not a directory: cannot restore beneath it`);
  }
}

// Moves `staged` to `root/relative` ('' = root itself); what was there (allowed by --force) is
// set aside first and removed only after: rename acts on a final symlink itself, never its target.
export async function moveIntoPlace(staged: string, root: string, relative: string): Promise<string> {
  const parts = relative.split('/').filter((p) => p !== '');
  const name = parts.pop();
  const final = name === undefined ? root : join(root, ...parts, name);
  if (name === undefined) await mkdir(join(root, '..'), { recursive: true });
  else await ensureRealDirs(root, parts.join('/'));
  const existing = await lstat(final).catch(() => undefined);
  const aside = `${final}.lxc-backup-replaced-${process.pid}`;
  if (existing) await rename(final, aside);
  await rename(staged, final);
  if (existing) await rm(aside, { recursive: true, force: true });
  return final;
}
