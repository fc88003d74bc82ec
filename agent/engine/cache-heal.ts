// Self-healing archive cache. A duplicity killed while it finishes a backup set leaves files in
// its archive cache (state_dir/cache/NAME) that every later run trips over: a signature file
// both compressed (`.sigtar.gz`) and still `.part` (0.8.22: `assert len(chain_list) == 2`), or
// a `.manifest.part` whose manifest already reached the target ("Cannot set filename of remote
// manifest"). Such a run fails with an AssertionError, on 0.8.x and 3.x alike. The leftovers
// are set aside in a dated directory (never deleted) and the command runs once more: duplicity
// resumes the interrupted set from its checkpoint, or fetches what is missing from the target.
import { createReadStream } from 'node:fs';
import { mkdir, readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { Writable } from 'node:stream';
import type { DuplicityCommand } from './duplicity/argv.js';
import type { JobContext } from './job-context.js';
import { runDuplicity, type DuplicityRun, type RunOptions } from './run-duplicity.js';

// duplicity's failure when its archive cache holds an interrupted run's leftovers.
export function isLeftoverFailure(stderr: string): boolean {
  return /AssertionError/.test(stderr);
}

function cacheDir(ctx: Pick<JobContext, 'layout'>): string {
  return join(ctx.layout.archiveDir, ctx.layout.name);
}

// Whether `path` is a whole gzip stream (a kill while duplicity compressed it leaves it cut).
async function isWholeGzip(path: string): Promise<boolean> {
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  return pipeline(createReadStream(path), createGunzip(), sink).then(
    () => true,
    () => false,
  );
}

// Which cache files to set aside, from the names in the cache. A `.sigtar.part` next to its
// `.sigtar.gz` is one file twice: the `.part` goes when the `.gz` is whole, else the `.gz`,
// and the set's `.manifest.part` (its checkpoint) stays so duplicity resumes that set. With
// no such pair, the `.part` files go: the manifest on the target replaces them.
export async function chooseLeftovers(dir: string, names: string[]): Promise<string[]> {
  const pairs = names.filter((name) => name.endsWith('.sigtar.part') && names.includes(name.replace(/\.part$/, '.gz')));
  if (pairs.length > 0) {
    const chosen: string[] = [];
    for (const part of pairs) {
      const gz = part.replace(/\.part$/, '.gz');
      chosen.push((await isWholeGzip(join(dir, gz))) ? part : gz);
    }
    return chosen;
  }
  return names.filter((name) => name.endsWith('.part'));
}

// Moves the interrupted run's leftovers out of the archive cache into
// state_dir/cache-aside/NAME/<ISO time>/; returns the names moved (none when nothing matched).
export async function setAsideLeftovers(ctx: Pick<JobContext, 'layout' | 'policy'>, now = new Date()): Promise<string[]> {
  const dir = cacheDir(ctx);
  const names = await readdir(dir).catch(() => [] as string[]);
  const chosen = await chooseLeftovers(dir, names);
  if (chosen.length === 0) return [];
  const aside = join(ctx.policy.state_dir, 'cache-aside', ctx.layout.name, now.toISOString().replace(/[:.]/g, '-'));
  await mkdir(aside, { recursive: true, mode: 0o700 });
  for (const name of chosen) await rename(join(dir, name), join(aside, name));
  return chosen;
}

export interface HealedRun extends DuplicityRun {
  // What was set aside before the second run, with where it went; undefined when nothing was.
  healed?: string;
}

// Runs `command`; when it fails on an interrupted run's leftovers, sets them aside and runs it
// once more. Every command that reads the archive cache (backup, list, prune, restore) goes here.
export async function runDuplicityHealing(
  ctx: Pick<JobContext, 'layout' | 'policy'>,
  command: DuplicityCommand,
  options: RunOptions = {},
): Promise<HealedRun> {
  const first = await runDuplicity(command, options);
  if (first.ok || first.result.canceled || first.result.timedOut || !isLeftoverFailure(first.result.stderr)) return first;
  const moved = await setAsideLeftovers(ctx);
  if (moved.length === 0) return first;
  const healed = `set aside ${moved.join(', ')} left in ${cacheDir(ctx)} by an interrupted run (moved to ${join(ctx.policy.state_dir, 'cache-aside', ctx.layout.name)})`;
  const second = await runDuplicity(command, options);
  return { ...second, healed };
}
