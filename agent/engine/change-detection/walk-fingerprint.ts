// The change fingerprint of a container: a SHA-256 over the capture walk's records (every entry
// the backup will hold, after excludes), fed chunk by chunk as the walk prints them, so its
// memory stays bounded whatever a guest's tree looks like.
import { createHash } from 'node:crypto';
import { createRecordSplitter } from '../fidelity/record-splitter.js';
import { PATH_MAX } from '../fidelity/fidelity-collector.js';
import { skipFields, WALK_PREFIX_FIELDS } from '../fidelity/walk-format.js';
import type { ExcludeMatcher } from '../exclude-globs.js';

// What the walk looked like.
export interface WalkFingerprint {
  /** hex SHA-256 over the kept records in walk order */
  digest: string;
  /** entries hashed (after excludes) */
  entries: number;
  /**
   * false when some entry's ctime was within SETTLE_SECONDS of the walk's start, or after it
   * (the host clock went back): such an entry could change again within the same timestamp
   * tick without its ctime moving, so this fingerprint may never let a later backup skip.
   */
  settled: boolean;
  /**
   * regular files whose ctime is at or after `since` while their mtime is before it: a chmod,
   * chown, xattr change or rename, or content changed with its mtime put back, which duplicity
   * (comparing mtime and mode only) keeps at its old content until the next full
   */
  ctimeOnly: number;
}

// A streaming collector: write() the walk's stdout chunks, then finish().
export interface FingerprintCollector {
  write(chunk: Buffer): void;
  finish(): WalkFingerprint;
}

// Filesystems with one- or two-second timestamps (FAT-like, some network filesystems) need
// this margin; ext4, xfs and btrfs stamp at the kernel's clock tick.
export const SETTLE_SECONDS = 3;
// A walk record: the prefix and FIND_PRINTF's fields (well under 512 bytes) and the path.
const MAX_RECORD = PATH_MAX + 512;
// How the hash marks a record too long to keep (then its length, head and tail are hashed).
const TOO_LONG = Buffer.from('\0too-long\0');
const NUL = Buffer.from([0]);
const SPACE = 0x20;
const DOT = 0x2e;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
// `f`: find's %y for a regular file.
const FILE_TYPE = 0x66;

// Creates a collector; `startedMs` is when the walk began (before find started), `sinceMs`
// when the previous real backup's walk began (for ctimeOnly).
export function createFingerprintCollector(exclude: ExcludeMatcher, startedMs: number, sinceMs?: number): FingerprintCollector {
  const hash = createHash('sha256');
  const settleBefore = Math.floor(startedMs / 1000) - SETTLE_SECONDS;
  const since = sinceMs === undefined ? Number.POSITIVE_INFINITY : Math.floor(sinceMs / 1000) - SETTLE_SECONDS;
  let entries = 0;
  let ctimeOnly = 0;
  let settled = true;
  // The run of kept records, contiguous in one buffer, hashed in one update.
  let runBuf: Buffer | undefined;
  let runStart = 0;
  let runEnd = 0;

  const flush = (): void => {
    if (runBuf) hash.update(runBuf.subarray(runStart, runEnd)).update(NUL);
    runBuf = undefined;
  };

  const splitter = createRecordSplitter(MAX_RECORD, {
    record(buf, start, end) {
      const pathStart = skipFields(buf, start, end, WALK_PREFIX_FIELDS + 6);
      if (pathStart === -1)
        throw new Error(`find output: walk record #${entries + 1}: expected ${WALK_PREFIX_FIELDS + 6} fields and a path`);
      const dotSlash = buf[pathStart] === DOT && buf[pathStart + 1] === 0x2f;
      if (exclude.excludes(buf, dotSlash ? pathStart + 2 : pathStart, end)) return;
      entries++;
      const ctime = numberAt(buf, start + 2);
      if (ctime >= settleBefore) settled = false;
      if (ctime >= since && buf[start] === FILE_TYPE && numberAt(buf, skipFields(buf, start, end, WALK_PREFIX_FIELDS + 5)) < since)
        ctimeOnly++;
      // Records of one chunk lie one NUL apart: a run grows while they follow each other.
      if (runBuf === buf && start === runEnd + 1) runEnd = end;
      else {
        flush();
        runBuf = buf;
        runStart = start;
        runEnd = end;
      }
    },
    tooLong(head, tail, length) {
      flush();
      entries++;
      hash.update(TOO_LONG).update(String(length)).update(head).update(tail).update(NUL);
    },
  });

  return {
    // The chunk is only valid during the call: its run is hashed before returning.
    write(chunk) {
      splitter.push(chunk);
      flush();
    },
    finish() {
      splitter.end();
      flush();
      return { digest: hash.digest('hex'), entries, settled, ctimeOnly };
    },
  };
}

// The whole seconds of the time field at `pos` (`%C@`, `%T@`: digits, a dot, a fraction).
// Anything else reads as "now" (Infinity): an unsettled fingerprint, no ctimeOnly count.
function numberAt(buf: Buffer, pos: number): number {
  let value = 0;
  let digits = 0;
  for (let i = pos; i < buf.length; i++) {
    const byte = buf[i] ?? 0;
    if (byte >= DIGIT_0 && byte <= DIGIT_9) {
      value = value * 10 + (byte - DIGIT_0);
      digits++;
    } else if (byte === DOT || byte === SPACE) break;
    else return Number.POSITIVE_INFINITY;
  }
  return digits === 0 ? Number.POSITIVE_INFINITY : value;
}
