// Writes hardlinks.nul and sparse.nul piece by piece, in the exact byte layout encodeHardlinks
// and encodeSparse produce, without building the whole file in memory first.
import { open } from 'node:fs/promises';
import type { SparseFile } from './parse-find-output.js';

const NUL = Buffer.from([0]);
// Pieces are gathered into writes of about this size.
const BATCH_BYTES = 64 * 1024;

// Writes `pieces` to a new file `path` with `mode`, in batches.
export async function writePieces(path: string, pieces: Iterable<Uint8Array>, mode: number): Promise<void> {
  const handle = await open(path, 'w', mode);
  try {
    let batch: Uint8Array[] = [];
    let size = 0;
    for (const piece of pieces) {
      batch.push(piece);
      size += piece.length;
      if (size >= BATCH_BYTES) {
        await handle.write(Buffer.concat(batch));
        batch = [];
        size = 0;
      }
    }
    if (size > 0) await handle.write(Buffer.concat(batch));
  } finally {
    await handle.close();
  }
}

// The pieces of hardlinks.nul: each path NUL-terminated, each group closed by an extra NUL.
export function* hardlinkPieces(groups: readonly Buffer[][]): Generator<Uint8Array> {
  for (const group of groups) {
    for (const path of group) yield* [path, NUL];
    yield NUL;
  }
}

// The pieces of sparse.nul: mtime then path, each NUL-terminated.
export function* sparsePieces(files: readonly SparseFile[]): Generator<Uint8Array> {
  for (const file of files) yield* [Buffer.from(file.mtime, 'latin1'), NUL, file.path, NUL];
}
