// The capture's one walk prints every entry of the tree (not only regular files): the fields
// change detection needs, then the fields the fidelity plan reads (FIND_PRINTF). One walk
// serves both, so the change fingerprint costs no second pass over a guest's tree.
import { FIND_PRINTF } from './parse-find-output.js';

// type (f d l c b p s), ctime, permission bits (octal), uid, gid: then FIND_PRINTF's fields.
export const WALK_PREFIX = '%y %C@ %m %U %G ';
// How many space-terminated fields WALK_PREFIX prints.
export const WALK_PREFIX_FIELDS = 5;
// The walk's whole -printf format.
export const WALK_PRINTF = `${WALK_PREFIX}${FIND_PRINTF}`;
// find's arguments for the walk; no -xdev: an LXC rootfs is often its own btrfs subvolume or zfs dataset.
export const WALK_ARGS = ['.', '-printf', WALK_PRINTF];

const SPACE = 0x20;

// The offset just past `fields` space-terminated fields from `start`, or -1 when the record
// ends first. A plain loop: the fields are short, and Buffer.indexOf's call into C++ per field
// cost more than the bytes (this runs for every entry of every container).
export function skipFields(buf: Buffer, start: number, end: number, fields: number): number {
  let left = fields;
  for (let pos = start; pos < end; pos++) {
    if (buf[pos] === SPACE && --left === 0) return pos + 1;
  }
  return left === 0 ? start : -1;
}
