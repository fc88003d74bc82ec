// A container's job history on disk: state_dir/history/NAME.jsonl, one JSON line per job,
// appended as jobs end and rotated to the newest `maxJobs` lines no older than `maxDays`.
// Every read is bounded: the file is small by rotation, but only its last `maxBytes` are read
// whatever its size, so a damaged or foreign file cannot make the agent load it whole.
import { constants } from 'node:fs';
import { mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { containerFileName } from '../core/container-file-name.js';
import { errnoCode } from '../core/error-message.js';
import { type HistoryRecord, historyRecordSchema } from './history-record.js';

// How much history is kept per container.
export interface HistoryBounds {
  maxJobs: number;
  maxDays: number;
}

// The bounds: 400 jobs or 400 days, whichever is smaller.
export const DEFAULT_HISTORY_BOUNDS: HistoryBounds = { maxJobs: 400, maxDays: 400 };

// A line is at most a few hundred bytes (errors are cut at 1000 characters); this is the
// per-line allowance used to bound reads.
const LINE_BYTES = 2048;

// The history file of container `name` under `stateDir`.
export function historyPath(stateDir: string, name: string): string {
  return join(stateDir, 'history', containerFileName(name, '.jsonl'));
}

// The bytes a read of a file with `maxJobs` lines needs at most.
export function historyReadBytes(maxJobs: number): number {
  return (maxJobs + 1) * LINE_BYTES;
}

interface Tail {
  lines: string[];
  // The file was longer than the bytes read.
  cut: boolean;
}

// The last `maxBytes` of the file as lines (a line cut by the limit is dropped); none when absent.
// Never follows a symlink at the file itself.
async function tailLines(path: string, maxBytes: number): Promise<Tail> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW).catch((error: unknown) => {
    if (errnoCode(error) === 'ENOENT') return undefined;
    throw error;
  });
  if (!handle) return { lines: [], cut: false };
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, maxBytes);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const lines = buffer.toString('utf8').split('\n');
    if (length < size) lines.shift();
    return { lines: lines.filter((line) => line.trim() !== ''), cut: length < size };
  } finally {
    await handle.close();
  }
}

// Parses lines, skipping those that are not history records (a torn last line after a crash).
function parseLines(lines: readonly string[]): HistoryRecord[] {
  const records: HistoryRecord[] = [];
  for (const line of lines) {
    try {
      const parsed = historyRecordSchema.safeParse(JSON.parse(line));
      if (parsed.success) records.push(parsed.data);
    } catch {
      // Not JSON: skipped, like any line that is not a record.
    }
  }
  return records;
}

// The newest records of container `name`, oldest first; at most `limit` when given, and never
// more than maxJobs: a reader between an append and its rotation sees the bound, not the extra line.
export async function readHistory(stateDir: string, name: string, bounds: HistoryBounds, limit?: number): Promise<HistoryRecord[]> {
  const records = parseLines((await tailLines(historyPath(stateDir, name), historyReadBytes(bounds.maxJobs))).lines);
  const most = Math.min(bounds.maxJobs, limit ?? bounds.maxJobs);
  return records.slice(Math.max(0, records.length - most));
}

// The lines rotation keeps: the newest maxJobs, none older than maxDays before `now`.
export function keptLines(lines: readonly string[], bounds: HistoryBounds, now: Date): string[] {
  const oldest = now.getTime() - bounds.maxDays * 86_400_000;
  return lines.slice(Math.max(0, lines.length - bounds.maxJobs)).filter((line) => {
    const [record] = parseLines([line]);
    const time = record ? Date.parse(record.time) : Number.NaN;
    return Number.isFinite(time) && time >= oldest;
  });
}

// Appends `record` and rotates the file when it holds more than the bounds allow.
export async function appendHistory(
  stateDir: string,
  name: string,
  record: HistoryRecord,
  bounds: HistoryBounds,
  now: Date,
): Promise<void> {
  const path = historyPath(stateDir, name);
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFile(path, `${JSON.stringify(record)}\n`, { flag: 'a', mode: 0o600 });
  const { lines, cut } = await tailLines(path, historyReadBytes(bounds.maxJobs) * 2);
  const kept = keptLines(lines, bounds, now);
  if (!cut && kept.length === lines.length) return;
  const temp = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(temp, kept.map((line) => `${line}\n`).join(''), { mode: 0o600 });
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
