// One streaming walk of a tree (find, never following a symlink) that hands each entry on as
// it comes: a drill's check of the restored tree. The backup side reads the same fields from
// the capture's walk (manifest-walk.ts); both leave out the root and sockets and hand on paths
// without `./`, so the two see entries the same way. Nothing is kept: a guest's tree can hold
// millions of entries.
import { createRecordSplitter } from '../fidelity/record-splitter.js';
import { PATH_MAX } from '../fidelity/fidelity-collector.js';
import { streamTool } from '../fidelity/stream-tool.js';
import type { TreeEntry } from './tree-totals.js';
import type { ToolWrap } from '../process/tool-wrap.js';

// type, permission bits (octal), uid, gid, size, mtime (seconds.fraction), path.
const PRINTF = '%y %m %U %G %s %T@ %p\\0';
const FIELDS = 6;

// An entry with its mtime in whole seconds (what duplicity restores).
export interface WalkEntry extends TreeEntry {
  mtime: number;
}

// How a walk runs; `onEntry` sees every entry except sockets (duplicity keeps none).
export interface WalkOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  timeoutName?: string;
  // Runs find through this (a snapshot's view).
  wrap?: ToolWrap;
  onEntry(entry: WalkEntry): void;
}

// What a walk could not hand on: entries whose path is too long to open (duplicity skips them too).
export interface WalkSummary {
  tooLong: number;
}

// Parses one `PRINTF` record; throws a one-line error naming it when it is not one.
export function parseWalkRecord(buf: Buffer, start: number, end: number): WalkEntry {
  const fields: string[] = [];
  let pos = start;
  for (let i = 0; i < FIELDS; i++) {
    const space = buf.indexOf(0x20, pos);
    if (space === -1 || space >= end)
      throw new Error(
        `find output: expected ${FIELDS + 1} fields, got ${JSON.stringify(buf.toString('latin1', start, Math.min(end, start + 120)))}`,
      );
    fields.push(buf.toString('latin1', pos, space));
    pos = space + 1;
  }
  if (buf[pos] === 0x2e && buf[pos + 1] === 0x2f) pos += 2;
  const [type, mode, uid, gid, size, mtime] = fields as [string, string, string, string, string, string];
  const numbers = [Number.parseInt(mode, 8), Number(uid), Number(gid), Number(size), Math.floor(Number(mtime))];
  if (!/^[a-zA-Z]$/.test(type) || numbers.some((n) => !Number.isFinite(n)) || pos >= end) {
    throw new Error(`find output: malformed record ${JSON.stringify(buf.toString('latin1', start, Math.min(end, start + 120)))}`);
  }
  const [m, u, g, s, t] = numbers as [number, number, number, number, number];
  return { type, mode: m, uid: u, gid: g, size: s, mtime: t, path: Buffer.from(buf.subarray(pos, end)) };
}

// Walks `root` (the root itself left out), calling onEntry for each entry.
export async function walkTree(root: string, options: WalkOptions): Promise<WalkSummary> {
  let tooLong = 0;
  const splitter = createRecordSplitter(PATH_MAX + 256, {
    record(buf, start, end) {
      const entry = parseWalkRecord(buf, start, end);
      if (entry.path.length >= PATH_MAX) tooLong++;
      else if (entry.type !== 's') options.onEntry(entry);
    },
    tooLong: () => void tooLong++,
  });
  await streamTool('find', ['.', '-mindepth', '1', '-printf', PRINTF], {
    cwd: root,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.timeoutName ? { timeoutName: options.timeoutName } : {}),
    ...(options.wrap ? { wrap: options.wrap } : {}),
    onStdout: (chunk) => splitter.push(chunk),
  });
  splitter.end();
  return { tooLong };
}
