// A drill's second check: the restored tree's totals against the manifest's, and with --full
// every regular file read through (each byte of the backup proven readable; the time it takes
// is the restore a user would face). Paths to hash go through a file on the scratch volume,
// never a guest-sized list in memory.
import { createReadStream, createWriteStream } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { once } from 'node:events';
import { escapeControl } from '../../core/escape-control.js';
import { createRecordSplitter } from '../fidelity/record-splitter.js';
import { PATH_MAX } from '../fidelity/fidelity-collector.js';
import { hashHandle } from './hash-file.js';
import { openBeneath } from './open-beneath.js';
import { createTotals, type TreeTotals } from './tree-totals.js';
import { walkTree } from './walk-tree.js';

// What the restored tree holds, and (with --full) how many files were read through.
export interface TreeCheck {
  totals: TreeTotals;
  hashed: number;
  unreadable: string[];
}

// Walks the restored container directory `root`; with `fullList` (a scratch file path), reads every regular file.
export async function checkTree(root: string, options: { fullList?: string; signal?: AbortSignal }): Promise<TreeCheck> {
  const totals = createTotals();
  const list = options.fullList ? createWriteStream(options.fullList, { mode: 0o600 }) : undefined;
  await walkTree(root, {
    ...(options.signal ? { signal: options.signal } : {}),
    onEntry(entry) {
      totals.add(entry);
      if (list && entry.type === 'f') list.write(Buffer.concat([entry.path, Buffer.from([0])]));
    },
  });
  if (!list || !options.fullList) return { totals: totals.result(), hashed: 0, unreadable: [] };
  list.end();
  await once(list, 'finish');
  const unreadable: string[] = [];
  let hashed = 0;
  let batch: Buffer[] = [];
  const splitter = createRecordSplitter(PATH_MAX + 1, {
    record: (buf, start, end) => void batch.push(Buffer.from(buf.subarray(start, end))),
    tooLong: () => undefined,
  });
  for await (const chunk of createReadStream(options.fullList)) {
    splitter.push(chunk as Buffer);
    for (const path of batch) {
      if (await readThrough(root, path, options.signal)) hashed++;
      else if (unreadable.length < 5) unreadable.push(escapeControl(path.toString('utf8')));
    }
    batch = [];
  }
  splitter.end();
  return { totals: totals.result(), hashed, unreadable };
}

async function readThrough(root: string, path: Buffer, signal?: AbortSignal): Promise<boolean> {
  let handle: FileHandle | undefined;
  try {
    handle = await openBeneath(root, path);
    await hashHandle(handle, signal);
    return true;
  } catch (error) {
    if (signal?.aborted) throw error;
    return false;
  } finally {
    await handle?.close();
  }
}
