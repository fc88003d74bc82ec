// The sha256 of an open file, read in chunks (never whole: a guest file can be any size), and
// given up when `signal` aborts.
import { createHash } from 'node:crypto';
import { readSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import type { TimeSlice } from './time-slice.js';

// Bytes read at once.
export const CHUNK = 1 << 20;

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

// Hashes the regular file open at `fd` with synchronous reads of `buffer`'s length, pausing
// `slice` between chunks. A short read that ends at `size` (what fstat said) is taken as the
// end without a read of 0 bytes: the caller's second fstat catches any write since the first.
export async function hashFdSliced(
  fd: number,
  size: number,
  buffer: Buffer,
  slice: TimeSlice,
  signal?: AbortSignal,
): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let position = 0;
  for (;;) {
    signal?.throwIfAborted();
    const bytesRead = readSync(fd, buffer, 0, buffer.length, position);
    if (bytesRead === 0) break;
    hash.update(buffer.subarray(0, bytesRead));
    position += bytesRead;
    if (bytesRead < buffer.length && position === size) break;
    await slice.pause();
  }
  return { sha256: hash.digest('hex'), bytes: position };
}
