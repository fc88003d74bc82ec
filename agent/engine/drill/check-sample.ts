// The heart of a drill: each sampled file of the manifest is found in the restored tree
// (without following links) and compared, hash and attributes; every difference is named.
import type { FileHandle } from 'node:fs/promises';
import { escapeControl } from '../../core/escape-control.js';
import { errorMessage } from '../../core/error-message.js';
import { hashHandle } from './hash-file.js';
import type { SampledFile } from './manifest-file.js';
import { openBeneath } from './open-beneath.js';

// One sampled file that did not come back as it was: its path (escaped) and what differs.
export interface Mismatch {
  path: string;
  problem: string;
}

// The mismatches of `sample` in the tree at `root` (the restored container directory).
export async function checkSample(root: string, sample: readonly SampledFile[], signal?: AbortSignal): Promise<Mismatch[]> {
  const mismatches: Mismatch[] = [];
  for (const expected of sample) {
    const path = Buffer.from(expected.path, 'base64');
    const problem = await compareOne(root, path, expected, signal);
    if (problem) mismatches.push({ path: escapeControl(path.toString('utf8')), problem });
  }
  return mismatches;
}

async function compareOne(root: string, path: Buffer, expected: SampledFile, signal?: AbortSignal): Promise<string | undefined> {
  let handle: FileHandle | undefined;
  try {
    handle = await openBeneath(root, path);
    const info = await handle.stat();
    if (!info.isFile()) return 'expected a regular file, found another kind';
    const found = { size: info.size, mode: info.mode & 0o7777, uid: info.uid, gid: info.gid, mtime: Math.floor(info.mtimeMs / 1000) };
    const differs = (['size', 'mode', 'uid', 'gid', 'mtime'] as const)
      .filter((key) => found[key] !== expected[key])
      .map((key) => `${key} expected ${show(key, expected[key])}, found ${show(key, found[key])}`);
    if (differs.length > 0) return differs.join(', ');
    const { sha256 } = await hashHandle(handle, signal);
    if (sha256 !== expected.sha256)
      return `content differs (sha256 expected ${expected.sha256.slice(0, 12)}…, found ${sha256.slice(0, 12)}…)`;
    return undefined;
  } catch (error) {
    if (signal?.aborted) throw error;
    return `cannot read it: ${escapeControl(errorMessage(error))}`;
  } finally {
    await handle?.close();
  }
}

function show(key: string, value: number): string {
  return key === 'mode' ? value.toString(8).padStart(4, '0') : String(value);
}
