// An incremental killed after its signatures were final and before its manifest was (the
// crash matrix's "manifest" point): duplicity resumes it from its checkpoint against a
// signature chain that already holds this set's own signatures, reports success, and the
// last file it redid is cut short on restore (measured: a 1 MiB file restored as 768–896 KiB
// by 0.8.22, as 704 KiB by 3.0.4, both exiting 0 with "Errors 0").
// So such a set is never resumed: its cache files are set aside (dated, never deleted), its
// files on the target are removed with `duplicity cleanup --force` (it has no manifest, so it
// is not a backup) together with the signature file cleanup leaves (leftover-signatures.ts),
// and the backup then makes a new incremental on the same chain.
import { mkdir, readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage } from '../core/error-message.js';
import { buildCleanup } from './duplicity/argv.js';
import type { JobContext } from './job-context.js';
import { runDuplicityHealing } from './cache-heal.js';
import { removeLeftoverSignatures } from './leftover-signatures.js';
import type { RunOptions } from './run-duplicity.js';

const PART = /^duplicity-inc\.(\d{8}T\d{6}Z\.to\.\d{8}T\d{6}Z)\.manifest\.part$/;

// The `FROM.to.TO` keys of incrementals whose manifest is a checkpoint and whose signatures
// are final in the cache; pure, for tests.
export function unsafeCheckpoints(names: readonly string[]): string[] {
  return names.flatMap((name) => {
    const key = PART.exec(name)?.[1];
    return key && names.includes(`duplicity-new-signatures.${key}.sigtar.gz`) ? [key] : [];
  });
}

// Discards such incrementals before a backup; returns a line saying what was done, or
// undefined when there were none. Throws with a one-line reason when cleanup fails.
export async function discardUnsafeCheckpoints(ctx: JobContext, options: RunOptions, now = new Date()): Promise<string | undefined> {
  const dir = join(ctx.layout.archiveDir, ctx.layout.name);
  const names = await readdir(dir).catch(() => [] as string[]);
  const keys = unsafeCheckpoints(names);
  if (keys.length === 0) return undefined;
  const aside = join(ctx.policy.state_dir, 'cache-aside', ctx.layout.name, now.toISOString().replace(/[:.]/g, '-'));
  await mkdir(aside, { recursive: true, mode: 0o700 });
  const moved = names.filter((name) => keys.some((key) => name.includes(`.${key}.`)));
  for (const name of moved) await rename(join(dir, name), join(aside, name));
  const run = await runDuplicityHealing(ctx, buildCleanup(ctx), options);
  if (!run.ok)
    throw new Error(`removing the interrupted incremental ${keys.join(', ')} from the target: ${run.failure?.message ?? 'cleanup failed'}`);
  // Left there, these signatures make duplicity start a new full chain instead of continuing this one.
  await removeLeftoverSignatures(ctx, keys).catch((error: unknown) => {
    throw new Error(`removing the signatures of the interrupted incremental ${keys.join(', ')}: ${errorMessage(error)}`);
  });
  return `discarded the incremental ${keys.join(', ')} interrupted before its manifest (duplicity's resume of it loses data); its cache files are in ${aside}`;
}
