// Hashes a drill manifest's sample: every picked file still the one the walk saw gets its
// sha256; one that changed, vanished or became something else (a symlink, a directory on the
// way swapped for one) is left out. The tree is live, that is not a failure; an abort is.
//
// Synchronous calls in time slices, not the thread pool: on the small-files bench (200 files
// of a Python standard library) each async open/stat/read/close waited for a pool thread and
// then for a CPU slice, and that waiting, not the bytes, was the cost. Measured (medians of
// 20-30 rounds, 2 cores, ms per sample): idle 15 sync / 30 async (8 lanes, same dir cache) /
// 132 before; 2 busy processes 40-52 / 67-92 / 340; two containers at once with 2 busy
// processes 137-176 / 107-170 / 540-820. Sync also needs no lanes. The event loop is given
// back every SLICE_MS (time-slice.ts), so other jobs, timers and the control socket still run.
// A read that never returns (a dead network filesystem under the lxcpath) would stall the loop;
// through the pool it would stall all of the process's file I/O after four such reads, so the
// pool bought no bound there either.
import { closeSync, fstatSync } from 'node:fs';
import { CHUNK, hashFdSliced } from './hash-file.js';
import type { SampledFile } from './manifest-file.js';
import { createSampleOpener, type SampleOpener } from './sample-opener.js';
import { createTimeSlice, type TimeSlice } from './time-slice.js';
import type { WalkEntry } from './walk-tree.js';

// One picked file: where to read it (`path` beneath `root`) and what the walk saw.
export interface SampleItem {
  root: string;
  path: Buffer;
  entry: WalkEntry;
}

// The sampled record of each item, in the items' order, or undefined for one left out.
// Files are read in sorted order so that each directory is opened once (sample-opener.ts).
export async function hashSample(items: readonly SampleItem[], signal?: AbortSignal): Promise<(SampledFile | undefined)[]> {
  const order = items.map((_, i) => i).sort((a, b) => compareItems(items[a] as SampleItem, items[b] as SampleItem));
  const openers = new Map<string, SampleOpener>();
  const results = new Array<SampledFile | undefined>(items.length);
  const slice = createTimeSlice();
  const buffer = Buffer.allocUnsafe(CHUNK);
  try {
    for (const index of order) {
      signal?.throwIfAborted();
      const item = items[index] as SampleItem;
      let opener = openers.get(item.root);
      if (!opener) {
        opener = createSampleOpener(item.root);
        openers.set(item.root, opener);
      }
      results[index] = await hashIfUnchanged(opener, item, buffer, slice, signal);
      await slice.pause();
    }
  } finally {
    for (const opener of openers.values()) opener.close();
  }
  return results;
}

function compareItems(a: SampleItem, b: SampleItem): number {
  if (a.root !== b.root) return a.root < b.root ? -1 : 1;
  return Buffer.compare(a.path, b.path);
}

// The sampled record of `item`, or undefined when it is no longer the file the walk saw.
async function hashIfUnchanged(
  opener: SampleOpener,
  item: SampleItem,
  buffer: Buffer,
  slice: TimeSlice,
  signal?: AbortSignal,
): Promise<SampledFile | undefined> {
  let fd: number | undefined;
  try {
    fd = opener.openFile(item.path);
    const { entry } = item;
    const before = fstatSync(fd, { bigint: true });
    if (!before.isFile() || Number(before.size) !== entry.size || Number(before.mtimeMs / 1000n) !== entry.mtime) return undefined;
    const { sha256, bytes } = await hashFdSliced(fd, entry.size, buffer, slice, signal);
    const after = fstatSync(fd, { bigint: true });
    if (bytes !== entry.size || after.mtimeNs !== before.mtimeNs || after.ctimeNs !== before.ctimeNs) return undefined;
    const { size, mode, uid, gid, mtime } = entry;
    return { path: entry.path.toString('base64'), size, mode, uid, gid, mtime, sha256 };
  } catch (error) {
    // Aborted or timed out: the capture fails. Anything else (gone, swapped for a link): left out.
    if (signal?.aborted) throw error;
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
