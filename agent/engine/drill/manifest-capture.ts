// Backup side of drills: the capture's one walk of the container directory (excludes applied,
// manifest-walk.ts) gives the tree totals and a rotating sample of regular files; once the walk
// is done the sample is hashed (sample-hash.ts), each file opened without following links. A
// file that changed or vanished between walk and hash is left out of the sample: the tree is
// live, that is not a failure.
import { writeFile } from 'node:fs/promises';
import { compileExcludes } from '../exclude-globs.js';
import type { DrillManifest, SampledFile } from './manifest-file.js';
import { createManifestWalk } from './manifest-walk.js';
import { hashSample } from './sample-hash.js';
import type { SampleSize } from './sample-pick.js';
import type { WalkEntry } from './walk-tree.js';

// Bytes of sampled files one backup reads to hash them, at most (the first picked file always
// counts). Every backup pays this, and in freeze mode the guest stays paused while it is read.
export const SAMPLE_BYTES = 64 * 1024 * 1024;

// What the capture needs from the policy.
export interface ManifestOptions {
  exclude: readonly string[];
  sample: SampleSize;
  /** picks the sample; a new one per backup (default: the capture's start time) */
  seed?: string;
  /** reads `rootfs/…` from this directory instead (the snapshot the walk saw, for hashing) */
  rootfsView?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
}

// One backup's manifest: `write` gets every chunk of the capture's walk (walk-format.ts), then
// `finish` hashes the sample and writes the manifest.
export interface ManifestCapture {
  write(chunk: Buffer): void;
  /** writes the manifest of `containerDir` to `file` (mode 0600); returns it */
  finish(containerDir: string, file: string): Promise<DrillManifest>;
}

// Starts a manifest; call before the walk starts (its start time is the default seed).
export function startManifest(options: ManifestOptions): ManifestCapture {
  const created = new Date().toISOString();
  const seed = options.seed ?? created;
  const exclude = compileExcludes(options.exclude);
  const walk = createManifestWalk(exclude, seed, options.sample);
  return { write: (chunk) => walk.write(chunk), finish: (containerDir, file) => finish(containerDir, file) };

  async function finish(containerDir: string, file: string): Promise<DrillManifest> {
    const { totals, files, picked } = walk.finish();
    const deadline = options.timeoutMs === undefined ? undefined : AbortSignal.timeout(options.timeoutMs);
    const signals = [options.signal, deadline].filter((s): s is AbortSignal => s !== undefined);
    const signal = signals.length > 0 ? AbortSignal.any(signals) : undefined;
    // A few huge files must not make every backup read gigabytes: the sample stops growing at the
    // budget, counted on the sizes the walk saw (a file left out below still counts: it was read).
    const chosen: WalkEntry[] = [];
    let overBudget = 0;
    let budgeted = 0;
    for (const { item } of picked) {
      if (budgeted + item.size > SAMPLE_BYTES && chosen.length > 0) {
        overBudget++;
        continue;
      }
      chosen.push(item);
      budgeted += item.size;
    }
    const hashed = await hashSample(
      chosen.map((entry) => ({ ...hashRoot(containerDir, entry, options.rootfsView), entry })),
      signal,
    );
    const sample = hashed.filter((entry): entry is SampledFile => entry !== undefined);
    const leftOut = hashed.length - sample.length;
    const manifest: DrillManifest = {
      version: 1,
      seed,
      created,
      totals,
      ...(exclude.unsupported.length > 0 ? { totals_unchecked: uncheckedReason(exclude.unsupported) } : {}),
      files,
      left_out: leftOut,
      over_budget: overBudget,
      sample,
    };
    await writeFile(file, JSON.stringify(manifest), { mode: 0o600 });
    return manifest;
  }
}

// Why the totals cannot be checked: the walk could not apply these patterns as duplicity does,
// so its totals may count entries the backup does not hold.
function uncheckedReason(patterns: readonly string[]): string {
  const named = patterns.map((p) => JSON.stringify(p)).join(', ');
  return `exclude pattern(s) ${named} cannot be applied exactly as duplicity does (bracket class, ignorecase:, trailing /, non-ASCII or the whole tree): the totals count entries they may exclude`;
}

// Where `entry` is read for hashing: its path under the container, or with a snapshot's view,
// the `rootfs/` part from the snapshot (the walk saw the snapshot through the same view).
function hashRoot(containerDir: string, entry: WalkEntry, rootfsView?: string): { root: string; path: Buffer } {
  const prefix = Buffer.from('rootfs/');
  if (rootfsView && entry.path.subarray(0, prefix.length).equals(prefix))
    return { root: rootfsView, path: entry.path.subarray(prefix.length) };
  return { root: containerDir, path: entry.path };
}
