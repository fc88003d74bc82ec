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

// Parses NUL-terminated records printed with FIND_PRINTF; throws on a malformed record.
export function parseFindOutput(out: Uint8Array): FileStat[] {
  const buf = Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  const stats: FileStat[] = [];
  let start = 0;
  while (start < buf.length) {
    const end = buf.indexOf(0, start);
    if (end === -1) throw new Error(`find output: record at byte ${start} is not NUL-terminated`);
    stats.push(parseRecord(buf.subarray(start, end), start));
    start = end + 1;
  }
  return stats;
}

function parseRecord(rec: Buffer, offset: number): FileStat {
  const fields: string[] = [];
  let pos = 0;
  for (let i = 0; i < HEADER_FIELDS; i++) {
    const sp = rec.indexOf(0x20, pos);
    if (sp === -1) throw new Error(`find output: record at byte ${offset} has fewer than ${HEADER_FIELDS + 1} fields`);
    fields.push(rec.toString('latin1', pos, sp));
    pos = sp + 1;
  }
  const [dev, ino, nlink, size, blocks, mtime] = fields as [string, string, string, string, string, string];
  if (![dev, ino, nlink, size, blocks].every((f) => /^\d+$/.test(f)) || !/^\d+(\.\d+)?$/.test(mtime)) {
    throw new Error(`find output: record at byte ${offset}: expected numeric fields, got ${JSON.stringify(fields.join(' '))}`);
  }
  let path = rec.subarray(pos);
  if (path.length >= 2 && path[0] === 0x2e && path[1] === 0x2f) path = path.subarray(2);
  if (path.length === 0) throw new Error(`find output: record at byte ${offset} has an empty path`);
  return { dev, ino, nlink: Number(nlink), size: Number(size), blocks: Number(blocks), mtime, path: Buffer.from(path) };
}

// True when the file occupies noticeably less disk than its size, i.e. it has holes.
export function isSparse(s: FileStat): boolean {
  return s.size - s.blocks * 512 >= MIN_HOLE_BYTES;
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

// Reads hardlinks.nul back (used by tests and by tools that inspect a metadata directory).
export function decodeHardlinks(buf: Buffer): Buffer[][] {
  const groups: Buffer[][] = [];
  let group: Buffer[] = [];
  let start = 0;
  while (start < buf.length) {
    const end = buf.indexOf(0, start);
    if (end === -1) throw new Error('hardlinks.nul: last entry is not NUL-terminated');
    if (end === start) {
      groups.push(group);
      group = [];
    } else group.push(Buffer.from(buf.subarray(start, end)));
    start = end + 1;
  }
  if (group.length > 0) throw new Error('hardlinks.nul: last group is not closed by an empty entry');
  return groups;
}
