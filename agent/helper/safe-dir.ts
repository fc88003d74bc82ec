// Opens a directory under a root without following any symlink on the way: each component is
// opened relative to the one before it (through /proc/self/fd, Node's stand-in for openat) with
// O_NOFOLLOW, so a link swapped in at any moment is refused rather than followed. The backup
// container writes the restore scratch, so everything below the root is hostile.
import { constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { errnoCode, errorMessage } from '../core/error-message.js';
import { escapeControl } from '../core/escape-control.js';
import { refuse } from './helper-failure.js';

const DIR_FLAGS = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW;

// An open handle on root/relative (components split by "/"); throws a refusal naming the
// component that is missing, not a directory, or a symlink. The caller closes the handle.
export async function openDirBeneath(root: string, relative: string): Promise<FileHandle> {
  const parts = relative.split('/');
  if (parts.some((part) => part === '' || part === '.' || part === '..'))
    refuse(`"${escapeControl(relative)}": expected a relative path without . or ..`);
  let handle = await open(root, constants.O_RDONLY | constants.O_DIRECTORY).catch((error) =>
    refuse(`${root}: expected a directory (${errorMessage(error)})`),
  );
  let walked = root;
  for (const part of parts) {
    walked = `${walked}/${part}`;
    const parent = handle;
    try {
      handle = await open(`/proc/self/fd/${parent.fd}/${part}`, DIR_FLAGS);
    } catch (error) {
      refuse(`${escapeControl(walked)}: expected a directory that is not a symlink (${errnoCode(error) ?? errorMessage(error)})`);
    } finally {
      await parent.close();
    }
  }
  return handle;
}
