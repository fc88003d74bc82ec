// Totals of a tree, as a drill compares them: entry count, bytes of regular files, and a digest
// of every (path, type, size, mode, uid, gid). The digest is the sum mod 2^256 of each entry's
// sha256: equal for equal sets of entries whatever order a walk met them in, so it proves what
// a digest of the sorted list proves without holding a guest-sized list to sort.
import { createHash, hash } from 'node:crypto';

// One entry of a walk: find's %y type letter, its size, mode bits, owner, path relative to the root.
export interface TreeEntry {
  type: string;
  size: number;
  mode: number;
  uid: number;
  gid: number;
  path: Buffer;
}

// What two walks of the same tree agree on.
export interface TreeTotals {
  entries: number;
  bytes: number;
  /** 64 hex digits */
  digest: string;
}

// An accumulator of totals; add() each entry, then result().
export interface TotalsAccumulator {
  add(entry: TreeEntry): void;
  result(): TreeTotals;
}

const LIMBS = 8;

// A directory's size is whatever its filesystem says (ext4 4096, btrfs the sum of names): a
// restore onto another filesystem changes it, so it counts as 0.
function comparableSize(entry: TreeEntry): number {
  return entry.type === 'd' ? 0 : entry.size;
}

// One entry's fields and path, laid out for one-shot hashing: a hash object per entry cost
// more than the hashing (this runs for every entry of every backup).
const scratch = Buffer.alloc(8192);

// The sha256 of one entry's fields, NUL-separated, the path last (its bytes as they are).
export function entryHash(entry: TreeEntry): Buffer {
  const head = `${entry.type}\0${comparableSize(entry)}\0${entry.mode.toString(8)}\0${entry.uid}\0${entry.gid}\0`;
  // The head is ASCII (a type letter, numbers), so latin1 writes the bytes utf8 would.
  if (head.length + entry.path.length > scratch.length) return createHash('sha256').update(head).update(entry.path).digest();
  const length = scratch.write(head, 0, 'latin1') + entry.path.copy(scratch, head.length);
  return hash('sha256', scratch.subarray(0, length), 'buffer');
}

// Adds per limb before carrying: a limb holds at most this many 32-bit words exactly.
const CARRY_EVERY = 1 << 20;

// Creates an empty accumulator.
export function createTotals(): TotalsAccumulator {
  let entries = 0;
  let bytes = 0;
  // The 256-bit sum as eight 32-bit limbs, most significant first (no BigInt per entry); the
  // carries wait until CARRY_EVERY adds (a plain number holds 2^53 exactly).
  const sum = new Array<number>(LIMBS).fill(0);
  let pending = 0;
  const carry = (): void => {
    let over = 0;
    for (let i = LIMBS - 1; i >= 0; i--) {
      const total = (sum[i] ?? 0) + over;
      sum[i] = total % 0x100000000;
      over = Math.floor(total / 0x100000000);
    }
    pending = 0;
  };
  return {
    add(entry) {
      entries++;
      if (entry.type === 'f') bytes += entry.size;
      const h = entryHash(entry);
      for (let i = 0; i < LIMBS; i++) {
        const at = i * 4;
        sum[i] = (sum[i] ?? 0) + ((h[at] ?? 0) * 0x1000000 + ((h[at + 1] ?? 0) << 16) + ((h[at + 2] ?? 0) << 8) + (h[at + 3] ?? 0));
      }
      if (++pending === CARRY_EVERY) carry();
    },
    result() {
      carry();
      return { entries, bytes, digest: sum.map((limb) => limb.toString(16).padStart(8, '0')).join('') };
    },
  };
}
