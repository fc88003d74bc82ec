// pubkey mode with a lost archive cache. Before every backup duplicity copies the signatures
// and manifests of the current chain from the target into its cache, decrypting them, and
// only the private key can: kept off this host, it is not here, so every backup of that chain
// would fail for ever. A new full chain needs none of the old chain's content, only its file
// names in the cache: for that one run the cache gets empty placeholders for the old chain's
// metadata, so duplicity skips the copy; they are removed right after. Later runs copy only the
// metadata of the chain they extend (duplicity's partial sync), now the new one, whose
// metadata this host wrote. The old chain stays on the target, restorable with the key.
import { lstat, mkdir, readdir, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildBackup } from './duplicity/argv.js';
import type { JobContext } from './job-context.js';
import type { HealedRun } from './cache-heal.js';
import { runDuplicity, type RunOptions } from './run-duplicity.js';
import { fileTargetDir } from './target-owner/marker-file.js';
import { runMarkerIo } from './target-owner/marker-remote.js';

// An encrypted signature or manifest on the target → the name duplicity gives it in its cache.
const REMOTE_META = /^(duplicity-(?:full|inc|full-signatures|new-signatures)\.[0-9TZ.to]+\.(manifest|sigtar))\.(?:gpg|g)$/;

// Whether a failed run failed copying the target's metadata into the cache for want of a private
// key: duplicity says "Copying … to local cache." on stdout, gpg's "No secret key" on stderr.
export function failedForPrivateKeyInSync(output: { stdout: string; stderr: string }): boolean {
  return /to local cache/.test(output.stdout + output.stderr) && /No secret key/.test(output.stderr);
}

// The cache names that stand in for the target's metadata absent from the cache (pure, for tests).
export function placeholderNames(remote: readonly string[], local: readonly string[]): string[] {
  const present = new Set(local.map((name) => name.replace(/\.(gz|part|gpg|g)$/, '').replace(/\.part$/, '')));
  return remote.flatMap((name) => {
    const [, base = '', kind] = REMOTE_META.exec(name) ?? [];
    if (!base || present.has(base)) return [];
    return [kind === 'sigtar' ? `${base}.gz` : base];
  });
}

// Removes empty metadata files from the cache: stand-ins a run killed mid-way left (a real
// manifest or signature file is never empty). Left there, they would hide the old chain's
// real metadata from every later run. pubkey mode only; returns the names removed.
export async function clearPlaceholders(ctx: JobContext): Promise<string[]> {
  if (ctx.container.settings.encryption.mode !== 'pubkey') return [];
  const cache = join(ctx.layout.archiveDir, ctx.layout.name);
  const removed: string[] = [];
  for (const name of await readdir(cache).catch(() => [] as string[])) {
    if (!/^duplicity-.*\.(manifest|sigtar\.gz)$/.test(name)) continue;
    const info = await lstat(join(cache, name)).catch(() => undefined);
    if (info?.isFile() && info.size === 0) {
      await unlink(join(cache, name));
      removed.push(name);
    }
  }
  return removed;
}

async function targetNames(ctx: JobContext): Promise<string[]> {
  const target = ctx.container.target;
  if (target.startsWith('file://')) return readdir(fileTargetDir(target)).catch(() => [] as string[]);
  const listed: unknown = JSON.parse(await runMarkerIo(ctx, ['list'], undefined, 'listing the files'));
  return Array.isArray(listed) ? listed.filter((name): name is string => typeof name === 'string') : [];
}

// After `first` failed for want of the private key in pubkey mode: one full backup past the
// old chain's metadata; any other run comes back as it was.
export async function newChainWithoutKey(ctx: JobContext, first: HealedRun, options: RunOptions): Promise<HealedRun> {
  const { encryption } = ctx.container.settings;
  if (first.ok || encryption.mode !== 'pubkey' || !failedForPrivateKeyInSync(first.result)) return first;
  const cache = join(ctx.layout.archiveDir, ctx.layout.name);
  const names = placeholderNames(await targetNames(ctx), await readdir(cache).catch(() => [] as string[]));
  if (names.length === 0) return first;
  const created: string[] = [];
  let second: HealedRun;
  await mkdir(cache, { recursive: true, mode: 0o700 });
  try {
    for (const name of names) {
      await writeFile(join(cache, name), '', { flag: 'wx', mode: 0o600 });
      created.push(name);
    }
    second = await runDuplicity(buildBackup(ctx, { full: true }), options);
  } finally {
    // Only what this run made and is still empty: duplicity may have replaced none of them, but check.
    for (const name of created) {
      const info = await lstat(join(cache, name)).catch(() => undefined);
      if (info?.isFile() && info.size === 0) await unlink(join(cache, name));
    }
  }
  const why =
    `started a new full chain: the archive cache ${cache} lacks the metadata of the chain on ${ctx.container.target}, ` +
    `and reading it needs the private key, which pubkey mode keeps off this host; the old chain stays there, restorable with --key`;
  return { ...second, healed: [first.healed, why].filter(Boolean).join('; ') };
}
