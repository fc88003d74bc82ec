// Opens a file under a root without following any symlink on the way: each directory is opened
// with O_NOFOLLOW through /proc/self/fd of the one before (Node has no openat), so a guest that
// swaps a directory for a symlink mid-walk gets a refusal, never a file outside its tree.
import { constants, type FileHandle, open } from 'node:fs/promises';

const DIR_FLAGS = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
const FILE_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

// Opens `relative` (bytes, `/`-separated, no `.` or `..`) beneath `root` for reading; the
// handle may be of any type but a symlink: the caller checks it is what it expects.
export async function openBeneath(root: string, relative: Buffer): Promise<FileHandle> {
  const parts = splitPath(relative);
  const last = parts.pop();
  if (last === undefined) throw new Error(`openBeneath: expected a path below ${root}, got an empty one`);
  let dir = await open(root, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    for (const part of parts) {
      const next = await open(Buffer.concat([Buffer.from(`/proc/self/fd/${dir.fd}/`), part]), DIR_FLAGS);
      await dir.close();
      dir = next;
    }
    return await open(Buffer.concat([Buffer.from(`/proc/self/fd/${dir.fd}/`), last]), FILE_FLAGS);
  } finally {
    await dir.close();
  }
}

// The components of `relative` (empty ones skipped); throws on a `.` or `..` component, which
// could climb out of the root.
export function splitPath(relative: Buffer): Buffer[] {
  const parts: Buffer[] = [];
  let start = 0;
  for (let i = 0; i <= relative.length; i++) {
    if (i < relative.length && relative[i] !== 0x2f) continue;
    const part = relative.subarray(start, i);
    start = i + 1;
    if (part.length === 0) continue;
    const text = part.toString('latin1');
    if (text === '.' || text === '..')
      throw new Error(`openBeneath: expected no . or .. components, got ${JSON.stringify(relative.toString('latin1'))}`);
    parts.push(part);
  }
  return parts;
}
