// Opens the files of a drill sample beneath one root without following any symlink on the way,
// like openBeneath, but each directory once: the directories of the last path stay open (a stack
// of fds, each opened from its parent's with O_NOFOLLOW|O_DIRECTORY through /proc/self/fd), and
// the next path reuses the ones it shares. Fed paths in sorted order, every directory is opened
// once (the paths below one directory are contiguous in any sorted order); any order is correct,
// only slower. A guest that swaps a directory for a symlink gets a refusal; one that moves a
// directory we hold keeps it inside its own tree (it cannot rename across its rootfs), exactly
// the race a fresh per-file chain of opens has between two components.
// The calls are synchronous: each is a metadata lookup of microseconds, and as thread-pool round
// trips they cost more in waiting than in work (see sample-hash.ts for the measurement).
import { closeSync, constants, openSync } from 'node:fs';
import { splitPath } from './open-beneath.js';

const DIR_FLAGS = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
const FILE_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

// Directory fds one opener holds at most, the root's included: a deeper path opens the rest one
// at a time and closes them again (a guest can nest directories ~2,000 deep within PATH_MAX).
export const DIR_FD_CAP = 64;

// An opener for one root; `close()` releases every directory it holds.
export interface SampleOpener {
  /** an fd for reading `relative` (bytes, `/`-separated, no `.` or `..`), of any type but a symlink; the caller closes it */
  openFile(relative: Buffer): number;
  /** directory fds held now, the root's included */
  held(): number;
  close(): void;
}

// Creates an opener for `root` (trusted: it may itself be reached through a symlink).
export function createSampleOpener(root: string, cap = DIR_FD_CAP): SampleOpener {
  if (!Number.isInteger(cap) || cap < 1) throw new Error(`createSampleOpener: expected a positive integer cap, got ${cap}`);
  let rootFd: number | undefined;
  const stack: { name: Buffer; fd: number }[] = [];
  const beneath = (dir: number, name: Buffer): Buffer => Buffer.concat([Buffer.from(`/proc/self/fd/${dir}/`), name]);

  // The fd of the deepest held directory on `parts`' way, after closing those off it and
  // opening the missing ones up to the cap.
  const descend = (parts: readonly Buffer[]): number => {
    let keep = 0;
    while (keep < stack.length && keep < parts.length && stack[keep]?.name.equals(parts[keep] as Buffer)) keep++;
    while (stack.length > keep) closeSync((stack.pop() as { fd: number }).fd);
    rootFd ??= openSync(root, constants.O_RDONLY | constants.O_DIRECTORY);
    let dir = stack.at(-1)?.fd ?? rootFd;
    while (stack.length < parts.length && stack.length < cap - 1) {
      const name = parts[stack.length] as Buffer;
      dir = openSync(beneath(dir, name), DIR_FLAGS);
      stack.push({ name, fd: dir });
    }
    return dir;
  };

  return {
    openFile(relative) {
      const parts = splitPath(relative);
      const last = parts.pop();
      if (last === undefined) throw new Error(`sample opener: expected a path below ${root}, got an empty one`);
      let dir = descend(parts);
      let transient: number | undefined;
      try {
        for (let i = stack.length; i < parts.length; i++) {
          const next = openSync(beneath(dir, parts[i] as Buffer), DIR_FLAGS);
          if (transient !== undefined) closeSync(transient);
          transient = next;
          dir = next;
        }
        return openSync(beneath(dir, last), FILE_FLAGS);
      } finally {
        if (transient !== undefined) closeSync(transient);
      }
    },
    held: () => stack.length + (rootFd === undefined ? 0 : 1),
    close() {
      while (stack.length > 0) closeSync((stack.pop() as { fd: number }).fd);
      if (rootFd !== undefined) closeSync(rootFd);
      rootFd = undefined;
    },
  };
}
