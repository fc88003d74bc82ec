// Whole-buffer readers of the capture's formats, the oracles tests compare the streaming
// collector and the written metadata files against. The agent itself only writes these.
import { type FileStat, parseFindRecord } from '../../agent/engine/fidelity/parse-find-output.js';

// What one pass over find's output yields: the records kept, and how many there were in all.
export interface FindScan {
  records: FileStat[];
  /** every record (regular file) find printed, kept or not */
  total: number;
}

// Parses a whole buffer of FIND_PRINTF records, counting every one; throws on a malformed record.
export function scanFindOutput(out: Uint8Array, options: { onlyCandidates?: boolean } = {}): FindScan {
  const buf = Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  const records: FileStat[] = [];
  let total = 0;
  let start = 0;
  while (start < buf.length) {
    const end = buf.indexOf(0, start);
    if (end === -1) throw new Error(`find output: record at byte ${start} is not NUL-terminated`);
    const record = parseFindRecord(buf, start, end, options.onlyCandidates ?? false);
    if (record) records.push(record);
    total++;
    start = end + 1;
  }
  return { records, total };
}

// The records of a whole buffer of find output (see scanFindOutput).
export function parseFindOutput(out: Uint8Array, options: { onlyCandidates?: boolean } = {}): FileStat[] {
  return scanFindOutput(out, options).records;
}

// Reads hardlinks.nul back: each path NUL-terminated, each group closed by an empty entry.
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
