// Small steps of a drill: the space estimate from the last backup's manifest, the totals
// comparison, and removing the scratch.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { TreeCheck } from './check-tree.js';
import type { Mismatch } from './check-sample.js';
import { type DrillManifest, MANIFEST_FILE, readManifest } from './manifest-file.js';
import type { TreeTotals } from './tree-totals.js';

// Bytes of files the newest local manifest recorded (state_dir/meta/NAME), 0 when there is none.
export async function localTreeBytes(metaDir: string): Promise<number> {
  return readManifest(join(metaDir, MANIFEST_FILE)).then(
    (manifest) => manifest.totals.bytes,
    () => 0,
  );
}

// The totals differences as mismatches (one line for the tree).
export function totalsMismatches(expected: TreeTotals, found: TreeCheck): Mismatch[] {
  const problems: string[] = [];
  if (found.totals.entries !== expected.entries) problems.push(`expected ${expected.entries} entries, found ${found.totals.entries}`);
  if (found.totals.bytes !== expected.bytes) problems.push(`expected ${expected.bytes} bytes of files, found ${found.totals.bytes}`);
  if (problems.length === 0 && found.totals.digest !== expected.digest)
    problems.push('same counts, but names, types, sizes, modes or owners differ (tree digest)');
  const unreadable = found.unreadable.map((path) => ({ path, problem: 'cannot be read through' }));
  return [...(problems.length > 0 ? [{ path: '(whole tree)', problem: problems.join(', ') }] : []), ...unreadable];
}

// The totals check against what the manifest says of its totals: a manifest whose totals may
// count excluded entries (totals_unchecked) gets no tree comparison, only a note saying why;
// files that cannot be read through (--full) are mismatches either way.
export function checkTotals(manifest: DrillManifest, found: TreeCheck): { mismatches: Mismatch[]; notes: string[] } {
  const why = manifest.totals_unchecked;
  if (why === undefined) return { mismatches: totalsMismatches(manifest.totals, found), notes: [] };
  const unreadable = found.unreadable.map((path) => ({ path, problem: 'cannot be read through' }));
  return { mismatches: unreadable, notes: [`tree totals not compared: ${why}`] };
}

// Removes a drill's scratch; a failure here is logged by the caller's next drill (it retries).
export async function cleanupScratch(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true, maxRetries: 3 });
}
