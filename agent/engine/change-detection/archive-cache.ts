// The part of duplicity's local archive cache an incremental needs: the manifests and
// signatures of the newest chain. Recorded after each real backup; a skip is only allowed
// while that part is exactly as recorded (a lost or altered cache makes duplicity resync from
// the target, which is a real run worth doing).
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

// File name → size, for the newest chain's files.
export type CacheListing = Record<string, number>;

const TIME = /\d{8}T\d{6}Z/g;
const FULL_MANIFEST = /^duplicity-full\.(\d{8}T\d{6}Z)\.manifest$/;

// The newest chain's cache files and sizes in `archiveDir/name` (empty when there is none).
export async function readCacheListing(archiveDir: string, name: string): Promise<CacheListing> {
  const dir = join(archiveDir, name);
  const names = await readdir(dir).catch(() => [] as string[]);
  const start = newestFull(names);
  if (!start) return {};
  const listing: CacheListing = {};
  for (const file of names) {
    const times = file.match(TIME);
    // duplicity times sort as text: a file of the newest chain has no time before its full.
    if (!times || times.some((time) => time < start)) continue;
    const info = await stat(join(dir, file)).catch(() => undefined);
    if (info?.isFile()) listing[file] = info.size;
  }
  return listing;
}

// Whether two listings name the same files with the same sizes (and are not empty).
export function sameListing(recorded: CacheListing, now: CacheListing): boolean {
  const names = Object.keys(recorded);
  if (names.length === 0 || names.length !== Object.keys(now).length) return false;
  return names.every((file) => now[file] === recorded[file]);
}

// The newest full's duplicity time, or undefined.
function newestFull(names: readonly string[]): string | undefined {
  let newest: string | undefined;
  for (const file of names) {
    const time = FULL_MANIFEST.exec(file)?.[1];
    if (time && (!newest || time > newest)) newest = time;
  }
  return newest;
}
