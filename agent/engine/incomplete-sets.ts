// Backup sets known to hold only part of their container, because its directory vanished or
// was replaced while duplicity read it. duplicity cannot tell (a missing file looks deleted),
// so the agent records them in state_dir/incomplete/NAME.json, and retention never keeps a
// chain that starts with one as the chain to keep.
import { mkdir, open, readdir, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { containerFileName } from './duplicity/container-file-name.js';
import { collectionFromArchiveNames } from './duplicity/parse-archive-names.js';
import type { JobContext } from './job-context.js';

// Our own small file; read no further than this whatever it holds.
const MAX_BYTES = 256 * 1024;

interface IncompleteSet {
  // ISO-8601 time of the set (for an incremental its end time), as in the manifest name.
  time: string;
  reason: string;
}

function fileOf(ctx: Pick<JobContext, 'policy' | 'layout'>): string {
  return join(ctx.policy.state_dir, 'incomplete', containerFileName(ctx.layout.name, '.json'));
}

async function archiveNames(ctx: Pick<JobContext, 'layout'>): Promise<string[]> {
  return readdir(join(ctx.layout.archiveDir, ctx.layout.name)).catch(() => [] as string[]);
}

// The recorded incomplete sets of the container; none when the file is missing or unreadable.
export async function readIncompleteSets(ctx: Pick<JobContext, 'policy' | 'layout'>): Promise<IncompleteSet[]> {
  const handle = await open(fileOf(ctx), 'r').catch(() => undefined);
  if (!handle) return [];
  try {
    const buffer = Buffer.alloc(MAX_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, MAX_BYTES, 0);
    const parsed = JSON.parse(buffer.subarray(0, bytesRead).toString('utf8')) as { sets?: unknown };
    if (!Array.isArray(parsed.sets)) return [];
    return parsed.sets.filter((s): s is IncompleteSet => typeof s?.time === 'string' && typeof s?.reason === 'string');
  } catch {
    return [];
  } finally {
    await handle.close();
  }
}

// Records every set in the archive cache made at or after `since` (the job that wrote it
// started then) as incomplete; returns their times.
export async function markIncompleteSets(ctx: Pick<JobContext, 'policy' | 'layout'>, since: Date, reason: string): Promise<string[]> {
  const from = Math.floor(since.getTime() / 1000) * 1000;
  const sets = collectionFromArchiveNames(await archiveNames(ctx)).chains.flatMap((chain) => chain.sets);
  const fresh = sets.map((set) => set.time).filter((time) => Date.parse(time) >= from);
  if (fresh.length === 0) return [];
  const known = await readIncompleteSets(ctx);
  const all = [...known.filter((set) => !fresh.includes(set.time)), ...fresh.map((time) => ({ time, reason }))];
  const file = fileOf(ctx);
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.tmp-${process.pid}`;
  const handle = await open(temp, 'w', 0o600);
  try {
    await handle.writeFile(`${JSON.stringify({ sets: all.slice(-100) }, null, 2)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, file);
  return fresh;
}

// Why retention must hold off: the newest chain in the archive cache starts with a set
// recorded as incomplete, so keeping "the active chain" would keep a partial container and
// let the older complete one expire. Undefined when retention may run.
export async function incompleteActiveChain(ctx: Pick<JobContext, 'policy' | 'layout'>): Promise<string | undefined> {
  const incomplete = await readIncompleteSets(ctx);
  if (incomplete.length === 0) return undefined;
  const newest = collectionFromArchiveNames(await archiveNames(ctx)).chains.at(-1);
  const full = newest?.sets[0];
  const marked = full && incomplete.find((set) => set.time === full.time);
  return (
    marked &&
    `the newest chain of ${ctx.layout.name} starts with an incomplete backup (${full.time}: ${marked.reason}); retention keeps every chain until a complete full backup exists`
  );
}
