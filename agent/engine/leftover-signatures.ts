// The signature file a discarded incremental leaves on the target. `duplicity cleanup --force`
// removes the set's volumes but not `duplicity-new-signatures.FROM.to.TO.sigtar.*`, and with it
// still there duplicity 0.8 sees a signature chain it cannot extend and starts a new full; with it
// gone the next backup continues the existing chain.
// The rule that keeps backups safe: a signature file is deleted only when its key is one of the
// discarded sets AND no manifest with that key (`duplicity-inc.KEY.manifest*`) is on the target,
// so nothing that belongs to a complete set is ever touched.
import { lstat, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoCode } from '../core/error-message.js';
import type { JobContext } from './job-context.js';
import { fileTargetDir } from './target-owner/marker-file.js';
import { runMarkerIo } from './target-owner/marker-remote.js';

const SIGNATURES = /^duplicity-new-signatures\.(\d{8}T\d{6}Z\.to\.\d{8}T\d{6}Z)\.sigtar(?:\.gz|\.gpg)?$/;
const MANIFEST = /^duplicity-inc\.(\d{8}T\d{6}Z\.to\.\d{8}T\d{6}Z)\.manifest/;

// The signature files among the target's `names` that the sets `keys` left behind; pure, for tests.
export function leftoverSignatures(names: readonly string[], keys: readonly string[]): string[] {
  const withManifest = new Set(names.flatMap((name) => MANIFEST.exec(name)?.[1] ?? []));
  return names.filter((name) => {
    const key = SIGNATURES.exec(name)?.[1];
    return key !== undefined && keys.includes(key) && !withManifest.has(key);
  });
}

// Deletes the discarded sets' leftover signature files from the target; returns their names.
// Throws with a one-line reason when one cannot be deleted.
export async function removeLeftoverSignatures(ctx: JobContext, keys: readonly string[]): Promise<string[]> {
  const target = ctx.container.target;
  return target.startsWith('file://') ? removeFromDir(fileTargetDir(target), keys) : removeRemote(ctx, keys);
}

async function removeFromDir(dir: string, keys: readonly string[]): Promise<string[]> {
  const names = await readdir(dir).catch((error: unknown) => {
    if (errnoCode(error) === 'ENOENT') return [] as string[];
    throw error;
  });
  const leftovers = leftoverSignatures(names, keys);
  for (const name of leftovers) {
    const file = join(dir, name);
    // The directory may be shared: a symlink or anything but a regular file is not duplicity's.
    const info = await lstat(file);
    if (!info.isFile()) throw new Error(`not deleting ${file}: expected a regular file, got another kind of file`);
    await unlink(file);
  }
  return leftovers;
}

async function removeRemote(ctx: JobContext, keys: readonly string[]): Promise<string[]> {
  const what = 'removing the leftover signatures';
  const listed = await runMarkerIo(ctx, ['list'], undefined, `listing the files`);
  const leftovers = leftoverSignatures(parseNames(listed), keys);
  if (leftovers.length === 0) return [];
  const left = parseNames(await runMarkerIo(ctx, ['delete', JSON.stringify(leftovers)], undefined, what));
  if (left.length > 0) throw new Error(`${what} of ${ctx.container.target}: still there after delete: ${left.join(', ')}`);
  return leftovers;
}

function parseNames(stdout: string): string[] {
  let value: unknown;
  try {
    value = JSON.parse(stdout);
  } catch {
    value = undefined;
  }
  if (!Array.isArray(value) || !value.every((name) => typeof name === 'string'))
    throw new Error(`expected a JSON array of names from marker-io.py, got ${JSON.stringify(stdout.slice(0, 100))}`);
  return value;
}
