// The owner marker on a file:// target, read and written with fs: no Python start for the
// common local target. The directory may be shared with another agent, so nothing is followed.
import { errorMessage, errnoCode } from '../../core/error-message.js';
import { constants } from 'node:fs';
import { mkdir, open, opendir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MARKER_LIMIT, MARKER_NAME } from './marker.js';

// What a target holds: the marker's text (undefined when absent) and whether anything else is there.
export interface TargetMarkerState {
  text: string | undefined;
  otherFiles: boolean;
}

// The directory of a file:///path target.
export function fileTargetDir(target: string): string {
  return decodeURIComponent(target.slice('file://'.length));
}

// Reads the marker of the file:// target at `dir`; an absent directory holds nothing yet.
export async function readFileMarker(dir: string): Promise<TargetMarkerState> {
  const text = await readMarkerText(join(dir, MARKER_NAME));
  return { text, otherFiles: await hasOtherEntries(dir) };
}

async function readMarkerText(file: string): Promise<string | undefined> {
  const flags = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
  const handle = await open(file, flags).catch((error: unknown) => {
    if (errnoCode(error) === 'ENOENT') return undefined;
    throw new Error(`cannot read ${file}: expected a regular file, got ${errnoCode(error) ?? errorMessage(error)}`);
  });
  if (!handle) return undefined;
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new Error(`cannot read ${file}: expected a regular file, got another kind of file`);
    // One byte past the limit is enough for parseMarker to refuse an oversized marker.
    const buffer = Buffer.alloc(MARKER_LIMIT + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

async function hasOtherEntries(dir: string): Promise<boolean> {
  const listing = await opendir(dir).catch((error: unknown) => {
    if (errnoCode(error) === 'ENOENT') return undefined;
    throw new Error(`cannot list the target directory ${dir}: ${errnoCode(error) ?? errorMessage(error)}`);
  });
  if (!listing) return false;
  try {
    for await (const entry of listing) if (entry.name !== MARKER_NAME) return true;
    return false;
  } finally {
    await listing.close().catch(() => undefined);
  }
}

// Writes the marker into `dir` (created if absent) whole or not at all: temp file, then rename.
export async function writeFileMarker(dir: string, text: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const temp = join(dir, `.${MARKER_NAME}.${process.pid}.tmp`);
  await rm(temp, { force: true });
  try {
    await writeFile(temp, text, { mode: 0o644, flag: 'wx' });
    await rename(temp, join(dir, MARKER_NAME));
  } finally {
    await rm(temp, { force: true });
  }
}
