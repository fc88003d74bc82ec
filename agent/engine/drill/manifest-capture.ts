// Backup side of drills: one walk of the container directory as the backup will hold it
// (excludes applied) gives the tree totals and a rotating sample of regular files; the sample
// is then hashed (sample-hash.ts), each file opened without following links. A file that changed or vanished
// between walk and hash is left out of the sample: the tree is live, that is not a failure.
import { writeFile } from 'node:fs/promises';
import { compileExcludes } from './exclude-match.js';
import type { DrillManifest, SampledFile } from './manifest-file.js';
import { hashSample } from './sample-hash.js';
import { createSamplePicker, type SampleSize } from './sample-pick.js';
import { createTotals } from './tree-totals.js';
import { walkTree, type WalkEntry } from './walk-tree.js';
import type { ToolWrap } from '../process/tool-wrap.js';

// Bytes of sampled files one backup reads to hash them, at most (the first picked file always
// counts). Every backup pays this, and in freeze mode the guest stays paused while it is read.
export const SAMPLE_BYTES = 64 * 1024 * 1024;

// What the capture needs from the policy.
export interface ManifestOptions {
  exclude: readonly string[];
  sample: SampleSize;
  /** picks the sample; a new one per backup (default: the capture's start time) */
  seed?: string;
  /** runs the walk through this (a snapshot's view: consistency/snapshot-view.ts) */
  wrap?: ToolWrap;
  /** reads `rootfs/…` from this directory instead (the same snapshot, for hashing) */
  rootfsView?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
}

// Writes the manifest of `containerDir` to `file` (mode 0600); returns it.
export async function captureManifest(containerDir: string, file: string, options: ManifestOptions): Promise<DrillManifest> {
  const created = new Date().toISOString();
  const seed = options.seed ?? created;
  const excluded = compileExcludes(options.exclude);
  const totals = createTotals();
  const picker = createSamplePicker<WalkEntry>(seed, options.sample);
  const deadline = options.timeoutMs === undefined ? undefined : AbortSignal.timeout(options.timeoutMs);
  const signals = [options.signal, deadline].filter((s): s is AbortSignal => s !== undefined);
  const signal = signals.length > 0 ? AbortSignal.any(signals) : undefined;
  let files = 0;
  await walkTree(containerDir, {
    ...(options.wrap ? { wrap: options.wrap } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs, timeoutName: 'capture_timeout' } : {}),
    onEntry(entry) {
      if (excluded(entry.path)) return;
      totals.add(entry);
      if (entry.type !== 'f') return;
      files++;
      picker.offer(entry.path, entry);
    },
  });
  // A few huge files must not make every backup read gigabytes: the sample stops growing at the
  // budget, counted on the sizes the walk saw (a file left out below still counts: it was read).
  const chosen: WalkEntry[] = [];
  let overBudget = 0;
  let budgeted = 0;
  for (const { item } of picker.pick()) {
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
    totals: totals.result(),
    files,
    left_out: leftOut,
    over_budget: overBudget,
    sample,
  };
  await writeFile(file, JSON.stringify(manifest), { mode: 0o600 });
  return manifest;
}

// Where `entry` is read for hashing: its path under the container, or with a snapshot's view,
// the `rootfs/` part from the snapshot (the walk saw the snapshot through the same view).
function hashRoot(containerDir: string, entry: WalkEntry, rootfsView?: string): { root: string; path: Buffer } {
  const prefix = Buffer.from('rootfs/');
  if (rootfsView && entry.path.subarray(0, prefix.length).equals(prefix))
    return { root: rootfsView, path: entry.path.subarray(prefix.length) };
  return { root: containerDir, path: entry.path };
}
