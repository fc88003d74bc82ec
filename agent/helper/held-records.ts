// What the helper holds (a freeze, a snapshot, a boot-test container), written durably before
// it is taken, so that a helper killed in between cleans it up at its next start.
import { mkdir, open, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';

// One held thing: a freeze or snapshot of a container, or a boot-test container.
export const heldRecordSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('freeze'), name: z.string() }),
  z.object({ kind: z.literal('snapshot'), name: z.string(), release: z.array(z.array(z.string())), exposed: z.string() }),
  z.object({ kind: z.literal('boot'), name: z.string(), lxcpath: z.string() }),
]);
// A record of something held.
export type HeldRecord = z.infer<typeof heldRecordSchema>;

function recordFile(stateDir: string, record: Pick<HeldRecord, 'kind' | 'name'>): string {
  return join(stateDir, 'held', `${record.kind}-${record.name}.json`);
}

// Writes the record and fsyncs it and its directory.
export async function writeHeld(stateDir: string, record: HeldRecord): Promise<void> {
  const dir = join(stateDir, 'held');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = await open(recordFile(stateDir, record), 'w', 0o600);
  try {
    await file.writeFile(JSON.stringify(record));
    await file.sync();
  } finally {
    await file.close();
  }
  const dirHandle = await open(dir, 'r');
  try {
    await dirHandle.sync();
  } finally {
    await dirHandle.close();
  }
}

// Deletes the record (after what it names was undone); a missing record is fine.
export async function dropHeld(stateDir: string, record: Pick<HeldRecord, 'kind' | 'name'>): Promise<void> {
  await rm(recordFile(stateDir, record), { force: true });
}

// Every readable record, with the file each came from; unreadable files are returned as `bad`.
export async function listHeld(stateDir: string): Promise<{ records: HeldRecord[]; bad: string[] }> {
  const dir = join(stateDir, 'held');
  const names = await readdir(dir).catch(() => [] as string[]);
  const records: HeldRecord[] = [];
  const bad: string[] = [];
  for (const file of names) {
    const text = await readFile(join(dir, file), 'utf8').catch(() => '');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = undefined;
    }
    const parsed = heldRecordSchema.safeParse(value);
    if (parsed.success) records.push(parsed.data);
    else bad.push(join(dir, file));
  }
  return { records, bad };
}
