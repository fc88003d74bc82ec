// planFidelity, fed one find record at a time, with a bound on what it keeps: the hard-link
// groups and sparse files it builds are the same, in the same order, as planFidelity's.
import { createRecordSplitter, type RecordSplitter } from './record-splitter.js';
import { hasHoles, isSparse, parseFindRecord, recordPathLength, type FidelityPlan, type SparseFile } from './parse-find-output.js';
import { escapePathExample } from './skipped.js';
import { skipFields, WALK_PREFIX_FIELDS } from './walk-format.js';

// Linux PATH_MAX counts the terminating NUL: a path of 4096 bytes cannot be opened, so the
// apply script (which works relative to the container directory) could not link it either,
// and duplicity cannot back it up (it logs an error and goes on).
export const PATH_MAX = 4096;
// A record is 6 numeric fields (at most ~160 bytes) and the path; anything longer is dropped
// unread by the splitter instead of being accumulated.
const MAX_RECORD = PATH_MAX + 256;
// Rough heap cost of one kept path or inode beyond its bytes (Buffer object, array slot, Map
// entry, key string), so the budget tracks memory, not just path bytes.
const ENTRY_OVERHEAD = 160;
// Hard-link candidates are kept in memory up to this estimate. A guest can make millions of
// links; above the budget this container's capture fails (and only its own backup). Spilling
// to disk (`sort -z`) would keep such a container backed up but costs an external sort on
// every backup and a second pass to restore the first-seen order the metadata files have;
// 32 MiB is ~150,000 links with 60-byte paths, far beyond a system tree.
const DEFAULT_CANDIDATE_BUDGET = 32 * 1024 * 1024;

// What one capture found in find's output.
export interface FindCollection {
  plan: FidelityPlan;
  /** every regular file find printed, kept or not */
  total: number;
  /** files whose path is PATH_MAX bytes or more (no hard-link or hole record for them) */
  skipped: number;
  /** up to three escaped, shortened examples of skipped paths */
  examples: string[];
}

// A streaming collector: write() find's stdout chunks, then finish().
export interface FindCollector {
  write(chunk: Buffer): void;
  finish(): FindCollection;
}

const MAX_EXAMPLES = 3;
const SPACE = 0x20;
const DIGIT_0 = 0x30;
// `f`: find's %y for a regular file.
const FILE_TYPE = 0x66;

// Creates a collector; throws from write() once the candidates exceed `budget` bytes.
// `walk`: the records are the capture's walk (walk-format.ts): every entry, prefixed; only
// regular files are read, past their prefix.
export function createFindCollector(options: { budget?: number; walk?: boolean } = {}): FindCollector {
  const budget = options.budget ?? DEFAULT_CANDIDATE_BUDGET;
  const prefixed = options.walk === true;
  const byInode = new Map<string, Buffer[]>();
  const sparse: SparseFile[] = [];
  const seenSparse = new Set<string>();
  const examples: string[] = [];
  let used = 0;
  let total = 0;
  let skipped = 0;

  // `head` and `tail` are the record's first and last bytes, `length` the whole record's.
  const skip = (head: Buffer, tail: Buffer, length: number): void => {
    skipped++;
    if (examples.length >= MAX_EXAMPLES) return;
    const path = pathOf(head);
    examples.push(escapePathExample(path, length - (head.length - path.length), tail));
  };
  const charge = (bytes: number): void => {
    used += bytes + ENTRY_OVERHEAD;
    if (used > budget) {
      throw new Error(
        `more than ${budget >= 1 << 20 ? `${budget >> 20} MiB` : `${budget} bytes`} of hard-link and sparse-file paths (${total} files walked); ` +
          'expected a tree whose hard links fit in memory',
      );
    }
  };

  const splitter: RecordSplitter = createRecordSplitter(MAX_RECORD, {
    record(buf, whole, end) {
      let start = whole;
      if (prefixed) {
        if (buf[whole] !== FILE_TYPE) return;
        start = skipFields(buf, whole, end, WALK_PREFIX_FIELDS);
        if (start === -1)
          throw new Error(`find output: record #${total + 1}: expected ${WALK_PREFIX_FIELDS} walk fields before the file fields`);
      }
      total++;
      // The walk's hot path: a record shorter than PATH_MAX has a shorter path, and a plain
      // file (one link, no holes) is left without a full parse (the rest is parsed and checked).
      if (end - start >= PATH_MAX && recordPathLength(buf, start, end) >= PATH_MAX)
        return skip(buf.subarray(start, end), buf.subarray(start, end), end - start);
      if (isPlainFile(buf, start, end)) return;
      const s = parseFindRecord(buf, start, end, true, `#${total}`);
      if (!s) return;
      const key = `${s.dev}:${s.ino}`;
      if (s.nlink > 1) {
        const group = byInode.get(key);
        charge(s.path.length + (group ? 0 : key.length + ENTRY_OVERHEAD));
        if (group) group.push(s.path);
        else byInode.set(key, [s.path]);
      }
      if (isSparse(s) && !seenSparse.has(key)) {
        charge(s.path.length + s.mtime.length + key.length);
        seenSparse.add(key);
        sparse.push({ mtime: s.mtime, path: s.path });
      }
    },
    tooLong(whole, tail, length) {
      if (prefixed && whole[0] !== FILE_TYPE) return;
      const cut = prefixed ? Math.max(0, skipFields(whole, 0, whole.length, WALK_PREFIX_FIELDS)) : 0;
      total++;
      skip(whole.subarray(cut), tail, length - cut);
    },
  });

  return {
    write: (chunk) => splitter.push(chunk),
    finish() {
      splitter.end();
      // Links whose other names live outside the tree are not a group we can rebuild.
      const hardlinkGroups = [...byInode.values()].filter((g) => g.length > 1);
      return { plan: { hardlinkGroups, sparse }, total, skipped, examples };
    },
  };
}

// True only for a well-formed `dev ino 1 size blocks mtime path` record without holes; anything
// else (more links, holes, bytes that are not digits, a path of `./` or less) goes to parseFindRecord.
function isPlainFile(buf: Buffer, start: number, end: number): boolean {
  let pos = start;
  let nlink = 0;
  let size = 0;
  let blocks = 0;
  for (let field = 0; field < 5; field++) {
    let value = 0;
    const from = pos;
    for (; pos < end && buf[pos] !== SPACE; pos++) {
      const digit = (buf[pos] ?? 0) - DIGIT_0;
      if (digit < 0 || digit > 9) return false;
      value = value * 10 + digit;
    }
    if (pos === from || pos >= end) return false;
    if (field === 2) nlink = value;
    else if (field === 3) size = value;
    else if (field === 4) blocks = value;
    pos++;
  }
  // The mtime field, then a path longer than `./` (a shorter one is the parser's error to report).
  while (pos < end && buf[pos] !== SPACE) pos++;
  return end - pos > 3 && nlink === 1 && !hasHoles(size, blocks);
}

// The path part of a record's first bytes (after the six numeric fields and `./`).
function pathOf(head: Buffer): Buffer {
  let pos = 0;
  for (let i = 0; i < 6; i++) {
    const space = head.indexOf(0x20, pos);
    if (space === -1) return head;
    pos = space + 1;
  }
  if (head[pos] === 0x2e && head[pos + 1] === 0x2f) pos += 2;
  return head.subarray(pos);
}
