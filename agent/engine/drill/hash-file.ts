// The sha256 of an open file, read in chunks (never whole: a guest file can be any size), and
// given up when `signal` aborts.
import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';

const CHUNK = 1 << 20;

// Hashes `handle` from offset 0 to its end; returns the hex digest and the bytes read.
export async function hashHandle(handle: FileHandle, signal?: AbortSignal): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(CHUNK);
  let position = 0;
  for (;;) {
    signal?.throwIfAborted();
    const { bytesRead } = await handle.read(buffer, 0, CHUNK, position);
    if (bytesRead === 0) break;
    hash.update(buffer.subarray(0, bytesRead));
    position += bytesRead;
  }
  return { sha256: hash.digest('hex'), bytes: position };
}
