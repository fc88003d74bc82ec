// Which backup set a restore without --time uses. duplicity alone takes the newest set it
// knows of, and after an interrupted backup that is the half-written one (its checkpoint
// manifest, `.manifest.part`, sits in the archive cache): the restore then fails or gives a
// partial container. The newest complete set is the newest one whose manifest is final in the
// cache and that is not recorded incomplete (incomplete-sets.ts).
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { collectionFromArchiveNames } from './duplicity/parse-archive-names.js';
import { fromDuplicityTime } from './duplicity/time-format.js';
import { readIncompleteSets } from './incomplete-sets.js';
import type { JobContext } from './job-context.js';

export interface RestoreChoice {
  // ISO-8601 time of the set to restore, for --time.
  time: string;
  // One line: which set, and which newer one was skipped and why.
  reason: string;
}

const PART = /^duplicity-(?:full\.(\d{8}T\d{6}Z)|inc\.\d{8}T\d{6}Z\.to\.(\d{8}T\d{6}Z))\.manifest\.part$/;

// A set that holds less than its container: why, by the set's ISO time.
export type IncompleteSetTimes = Array<{ time: string; why: string }>;

// The incomplete sets, from the cache's file names (a set interrupted before its manifest
// was final) and the recorded incomplete sets (incomplete-sets.ts); pure, for tests.
export function incompleteSetTimes(
  names: readonly string[],
  incomplete: ReadonlyArray<{ time: string; reason: string }>,
): IncompleteSetTimes {
  const sets = collectionFromArchiveNames(names).chains.flatMap((chain) => chain.sets.map((set) => set.time));
  const found: IncompleteSetTimes = [];
  for (const name of names) {
    const m = PART.exec(name);
    const stamp = m?.[1] ?? m?.[2];
    const time = stamp && fromDuplicityTime(stamp);
    if (time) found.push({ time, why: 'interrupted before its manifest was final' });
  }
  for (const set of incomplete) if (sets.includes(set.time)) found.push({ time: set.time, why: set.reason });
  return found;
}

// The incomplete sets of the container in `ctx`, as the archive cache and the records say now.
export async function readIncompleteSetTimes(ctx: Pick<JobContext, 'layout' | 'policy'>): Promise<IncompleteSetTimes> {
  const names = await readdir(join(ctx.layout.archiveDir, ctx.layout.name)).catch(() => [] as string[]);
  return incompleteSetTimes(names, await readIncompleteSets(ctx));
}

// The set a plain restore uses when a newer one is incomplete, with which and why; pure, for tests.
export function chooseRestoreSet(
  names: readonly string[],
  incomplete: ReadonlyArray<{ time: string; reason: string }>,
): RestoreChoice | undefined {
  const sets = collectionFromArchiveNames(names).chains.flatMap((chain) => chain.sets.map((set) => set.time));
  const recorded = new Set(incomplete.map((set) => set.time));
  const complete = sets.filter((time) => !recorded.has(time)).sort();
  const skipped = incompleteSetTimes(names, incomplete);
  const newest = complete.at(-1);
  const newer = skipped.filter((set) => !newest || set.time > newest).sort((a, b) => b.time.localeCompare(a.time));
  const first = newer[0];
  if (!newest || first === undefined) return undefined;
  return { time: newest, reason: `using the backup of ${newest}, the newest complete one; skipped the newer ${first.time} (${first.why})` };
}

// The set a restore without --time must use when it is not simply the newest; undefined when
// duplicity's own choice is right (or the cache says nothing, e.g. before its first sync).
export async function restoreSetWithoutTime(ctx: Pick<JobContext, 'layout' | 'policy'>): Promise<RestoreChoice | undefined> {
  const names = await readdir(join(ctx.layout.archiveDir, ctx.layout.name)).catch(() => [] as string[]);
  return chooseRestoreSet(names, await readIncompleteSets(ctx));
}
