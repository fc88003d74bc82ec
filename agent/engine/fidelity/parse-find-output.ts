// Pure core of the capture: turns `find -printf` records into hard-link groups and sparse files.
// Paths stay Buffers end to end because file names on Linux are bytes, not UTF-8.

// The `find -printf` format the parser expects: dev, inode, link count, size, 512-byte blocks, mtime, path.
export const FIND_PRINTF = '%D %i %n %s %b %T@ %p\\0';

// One regular file as find reported it.
export interface FileStat {
  dev: string;
  ino: string;
  nlink: number;
  size: number;
  blocks: number;
  /** seconds since the epoch with fraction, exactly as find printed it (for `touch -d @…`) */
  mtime: string;
  /** relative to the container directory, without the leading `./` */
  path: Buffer;
}

// A file that should get its holes punched back after a restore.
export interface SparseFile {
  mtime: string;
  path: Buffer;
}

// What the capture writes besides the xattr dump.
export interface FidelityPlan {
  hardlinkGroups: Buffer[][];
  sparse: SparseFile[];
}

const HEADER_FIELDS = 6;
// A hole smaller than a page cannot exist on the filesystems we meet; the margin also keeps
// ext4 inline-data files (size > 0, blocks = 0) out of the sparse list.
const MIN_HOLE_BYTES = 4096;

const SPACE = 0x20;
const DOT = 0x2e;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

// The length of a record's path as the apply script will see it (without `./`), found without
// parsing the numeric fields: the cheap test before a record is kept.
export function recordPathLength(buf: Buffer, start: number, end: number): number {
  let pos = start;
  for (let i = 0; i < HEADER_FIELDS && pos !== -1 && pos < end; i++) {
    pos = buf.indexOf(SPACE, pos);
    if (pos !== -1) pos++;
  }
  if (pos === -1 || pos > end) return 0;
  const dotSlash = end - pos >= 2 && buf[pos] === DOT && buf[pos + 1] === 0x2f;
  return end - pos - (dotSlash ? 2 : 0);
}

// Parses buf[start, end) byte by byte (no strings for the numeric fields); returns undefined
// for a valid record that is not a candidate when `onlyCandidates` is set. Candidates are the
// records planFidelity can use (more than one link, or holes): a rootfs has thousands of files
// and a handful of those, so the others are not worth a record.
// `where` names the record in errors (a stream parser knows its number, not its byte offset).
export function parseFindRecord(
  buf: Buffer,
  start: number,
  end: number,
  onlyCandidates: boolean,
  where = `at byte ${start}`,
): FileStat | undefined {
  const malformed = (what: string): Error => new Error(`find output: record ${where}: ${what}`);
  const notNumeric = (): Error =>
    malformed(`expected numeric fields, got ${JSON.stringify(buf.toString('latin1', start, Math.min(end, start + 120)))}`);
  const fieldStarts: number[] = [];
  const fieldEnds: number[] = []; // where each field's closing space is
  const numbers: number[] = [];
  let pos = start;
  for (let i = 0; i < HEADER_FIELDS; i++) {
    fieldStarts.push(pos);
    let value = 0;
    let dots = 0;
    const fieldStart = pos;
    for (; pos < end && buf[pos] !== SPACE; pos++) {
      const byte = buf[pos] ?? 0; // always there (pos < end); 0 is not a digit
      if (byte >= DIGIT_0 && byte <= DIGIT_9) value = value * 10 + (byte - DIGIT_0);
      // Only the mtime (the last header field) has a fraction.
      else if (byte === DOT && i === HEADER_FIELDS - 1 && pos > fieldStart && dots++ === 0) continue;
      else throw notNumeric();
    }
    if (pos >= end) throw malformed(`has fewer than ${HEADER_FIELDS + 1} fields`);
    if (pos === fieldStart || buf[pos - 1] === DOT) throw notNumeric();
    numbers.push(value);
    fieldEnds.push(pos);
    pos++;
  }
  let pathStart = pos;
  if (end - pathStart >= 2 && buf[pathStart] === DOT && buf[pathStart + 1] === 0x2f) pathStart += 2;
  if (pathStart === end) throw malformed('has an empty path');
  const [, , nlink, size, blocks] = numbers as [number, number, number, number, number, number];
  if (onlyCandidates && nlink <= 1 && !hasHoles(size, blocks)) return undefined;
  const field = (i: number): string => buf.toString('latin1', fieldStarts[i], fieldEnds[i]);
  return {
    dev: field(0),
    ino: field(1),
    nlink,
    size,
    blocks,
    mtime: field(5),
    path: Buffer.from(buf.subarray(pathStart, end)),
  };
}

// True when the file occupies noticeably less disk than its size, i.e. it has holes.
export function isSparse(s: FileStat): boolean {
  return hasHoles(s.size, s.blocks);
}

// The same test on the two numbers (the collector's fast path has no FileStat).
export function hasHoles(size: number, blocks: number): boolean {
  return size - blocks * 512 >= MIN_HOLE_BYTES;
}

// Groups hard links by (device, inode) and picks sparse files once per inode.
export function planFidelity(stats: readonly FileStat[]): FidelityPlan {
  const byInode = new Map<string, Buffer[]>();
  const sparse: SparseFile[] = [];
  const seenSparse = new Set<string>();
  for (const s of stats) {
    const key = `${s.dev}:${s.ino}`;
    if (s.nlink > 1) {
      const group = byInode.get(key);
      if (group) group.push(s.path);
      else byInode.set(key, [s.path]);
    }
    if (isSparse(s) && !seenSparse.has(key)) {
      seenSparse.add(key);
      sparse.push({ mtime: s.mtime, path: s.path });
    }
  }
  // Links whose other names live outside the tree are not a group we can rebuild.
  const hardlinkGroups = [...byInode.values()].filter((g) => g.length > 1);
  return { hardlinkGroups, sparse };
}

const NUL = Buffer.from([0]);

// hardlinks.nul: each path NUL-terminated, each group closed by an empty entry (an extra NUL).
export function encodeHardlinks(groups: readonly Buffer[][]): Buffer {
  return Buffer.concat(groups.flatMap((g) => [...g.flatMap((p) => [p, NUL]), NUL]));
}

// sparse.nul: pairs of NUL-terminated fields, mtime (`EPOCH.FRACTION`) then path.
export function encodeSparse(files: readonly SparseFile[]): Buffer {
  return Buffer.concat(files.flatMap((f) => [Buffer.from(f.mtime, 'latin1'), NUL, f.path, NUL]));
}
