// The drill manifest's part of the capture's one walk: fed the walk's chunks as they come (the
// same records the fidelity plan and the change fingerprint read), it keeps the tree totals
// (excludes applied) and a rotating sample of regular files, never the tree itself.
import type { ExcludeMatcher } from '../exclude-globs.js';
import { createRecordSplitter } from '../fidelity/record-splitter.js';
import { PATH_MAX } from '../fidelity/fidelity-collector.js';
import { parseManifestFields } from './manifest-record.js';
import { createSamplePicker, type Candidate, type SampleSize } from './sample-pick.js';
import { createTotals, type TreeTotals } from './tree-totals.js';
import type { WalkEntry } from './walk-tree.js';

// What the walk gave the manifest.
export interface WalkedTree {
  totals: TreeTotals;
  /** regular files kept by the excludes */
  files: number;
  /** entries whose path is PATH_MAX bytes or more (duplicity cannot back them up either) */
  tooLong: number;
  /** the picked sample, lowest score first (sample-pick.ts) */
  picked: Candidate<WalkEntry>[];
}

// A streaming collector: write() the walk's stdout chunks, then finish().
export interface ManifestWalk {
  write(chunk: Buffer): void;
  finish(): WalkedTree;
}

// The walk's fields before the path are well under 512 bytes; a longer record has a path
// past PATH_MAX, and is dropped unread.
const MAX_RECORD = PATH_MAX + 512;
const DOT = 0x2e;

// Creates a collector. Entries `exclude.excludes` drops are left out of everything; a file an
// unsupported pattern might exclude (`mightExclude`) stays in the totals but is never sampled.
export function createManifestWalk(exclude: ExcludeMatcher, seed: string, sample: SampleSize): ManifestWalk {
  const totals = createTotals();
  const picker = createSamplePicker<WalkEntry>(seed, sample);
  const wide = exclude.unsupported.length > 0;
  let records = 0;
  let files = 0;
  let tooLong = 0;
  const splitter = createRecordSplitter(MAX_RECORD, {
    record(buf, start, end) {
      records++;
      const f = parseManifestFields(buf, start, end, `#${records}`);
      const { pathStart } = f;
      // The container directory itself (find prints it as `.`), and sockets (duplicity keeps none).
      if ((end - pathStart === 1 && buf[pathStart] === DOT) || f.type === 's') return;
      if (end - pathStart >= PATH_MAX) return void tooLong++;
      if (exclude.excludes(buf, pathStart, end)) return;
      // A view: the totals read it during this call, the picker copies it only if it keeps it.
      const view = buf.subarray(pathStart, end);
      const entry: WalkEntry = { type: f.type, mode: f.mode, uid: f.uid, gid: f.gid, size: f.size, mtime: f.mtime, path: view };
      totals.add(entry);
      if (f.type !== 'f') return;
      files++;
      if (!wide || !exclude.mightExclude(buf, pathStart, end)) picker.offerView(view, (path) => ({ ...entry, path }));
    },
    tooLong: () => void tooLong++,
  });
  return {
    write: (chunk) => splitter.push(chunk),
    finish() {
      splitter.end();
      return { totals: totals.result(), files, tooLong, picked: picker.pick() };
    },
  };
}
