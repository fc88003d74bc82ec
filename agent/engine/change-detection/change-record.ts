// What the last real backup of a container saw, kept under state_dir/unchanged/ (one small
// file per container, replaced atomically) so the next scheduled backup can tell whether
// anything changed since.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as z from 'zod';
import { containerFileName } from '../duplicity/container-file-name.js';

const recordSchema = z.object({
  version: z.literal(1),
  fingerprint: z.string(),
  entries: z.number(),
  settled: z.boolean(),
  settings: z.string(),
  target: z.string(),
  // When that backup's walk began (ISO-8601): what a later walk counts ctime-only changes from.
  walked_at: z.string(),
  // When the real backup this record belongs to finished (ISO-8601): max_unchanged counts from here.
  backed_up_at: z.string(),
  cache: z.record(z.string(), z.number()),
});

// One container's record.
export type ChangeRecord = z.infer<typeof recordSchema>;

// Where container `name`'s record lives.
export function changeRecordPath(stateDir: string, name: string): string {
  return join(stateDir, 'unchanged', containerFileName(name, '.json'));
}

// The record, or undefined when there is none or it cannot be read (then the backup runs).
export async function readChangeRecord(stateDir: string, name: string): Promise<ChangeRecord | undefined> {
  const text = await readFile(changeRecordPath(stateDir, name), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const parsed = recordSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

// Replaces the record (write to a temporary file, then rename).
export async function writeChangeRecord(stateDir: string, name: string, record: ChangeRecord): Promise<void> {
  const file = changeRecordPath(stateDir, name);
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.tmp-${process.pid}`;
  try {
    await writeFile(temp, `${JSON.stringify(record)}\n`, { mode: 0o600 });
    await rename(temp, file);
  } finally {
    await rm(temp, { force: true });
  }
}
