// Reads a container's LXC `config` without trusting its shape: only a regular file, never
// through a symlink, never a FIFO (opening one blocks a libuv thread until a writer comes),
// never more than 1 MiB (a link to /dev/zero, a huge file), read from the descriptor checked.
import { constants, type Stats } from 'node:fs';
import { type FileHandle, lstat, open } from 'node:fs/promises';
import { errnoCode, errorMessage } from '../core/error-message.js';

// The largest config read; real ones are a few KiB.
const CONFIG_MAX_BYTES = 1024 * 1024;

// The text, or why the config cannot be used, or nothing there at all.
export type ConfigRead = { text: string } | { problem: string } | { missing: true };

function kindOf(stats: Stats): string {
  if (stats.isSymbolicLink()) return 'a symlink';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isDirectory()) return 'a directory';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

const tooBig = (path: string, size: number): { problem: string } => ({
  problem: `${path} is ${size} bytes: expected a config of at most ${CONFIG_MAX_BYTES} bytes`,
});

// The errno code, which says enough about a config that cannot be read (the path is in the message already).
function errorCode(error: unknown): string {
  return errnoCode(error) ?? errorMessage(error);
}

// Reads `path` (a container's config) with the checks above; never throws.
export async function readConfigFile(path: string): Promise<ConfigRead> {
  let before: Stats;
  try {
    before = await lstat(path);
  } catch (error) {
    const code = errorCode(error);
    return code === 'ENOENT' || code === 'ENOTDIR' ? { missing: true } : { problem: `cannot read ${path}: ${code}` };
  }
  if (!before.isFile()) return { problem: `${path} is ${kindOf(before)}: expected a regular file` };
  if (before.size > CONFIG_MAX_BYTES) return tooBig(path, before.size);
  let handle: FileHandle;
  try {
    // O_NONBLOCK: should the file have been swapped for a FIFO since lstat, open does not wait for a writer.
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT') return { missing: true };
    return { problem: code === 'ELOOP' ? `${path} is a symlink: expected a regular file` : `cannot read ${path}: ${code}` };
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile() || stats.ino !== before.ino || stats.dev !== before.dev) {
      return { problem: `${path} was replaced while being read: expected a regular file` };
    }
    if (stats.size > CONFIG_MAX_BYTES) return tooBig(path, stats.size);
    // One byte more than fstat said: reading it means the file grew while being read (the
    // watcher reports that write and the config is read again once it is done).
    const buffer = Buffer.alloc(stats.size + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > stats.size) return { problem: `${path} grew while being read: expected a config that is not being written` };
    }
    return { text: buffer.toString('utf8', 0, length) };
  } catch (error) {
    return { problem: `cannot read ${path}: ${errorCode(error)}` };
  } finally {
    await handle.close();
  }
}
