// Backup side: records into metaDir what duplicity drops (xattrs incl. ACLs and capabilities,
// hard links, holes), without writing anything into the read-only container directory.
// Everything streams: a guest's tree can print gigabytes of paths, and the agent that reads
// them is shared by every container (its memory stays bounded whatever the tree looks like).
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { APPLY_PY, APPLY_SCRIPT, README_TEXT } from './apply-script.js';
import { countDumpEntries } from './count-dump-entries.js';
import { startManifest, type ManifestOptions } from '../drill/manifest-capture.js';
import { MANIFEST_FILE } from '../drill/manifest-file.js';
import { createFindCollector } from './fidelity-collector.js';
import { runWalks } from './run-walks.js';
import { WALK_ARGS } from './walk-format.js';
import type { SkippedEntries } from './skipped.js';
import { streamTool } from './stream-tool.js';
import type { ToolWrap } from '../process/tool-wrap.js';
import { hardlinkPieces, sparsePieces, writePieces } from './write-nul-file.js';

// Counts reported after a capture.
export interface MetadataSummary {
  /** entries (files, dirs, symlinks…) carrying at least one xattr */
  xattrFiles: number;
  hardlinkGroups: number;
  sparseFiles: number;
  /** regular files walked */
  regularFiles: number;
  /** total size of the metadata files written */
  bytes: number;
  /** what could not be recorded (paths beyond PATH_MAX); all zero on an ordinary tree */
  skipped: SkippedEntries;
}

// How a capture runs.
export interface CaptureOptions {
  signal?: AbortSignal;
  /** each tool is stopped after this long and the capture fails (policy: capture_timeout) */
  timeoutMs?: number;
  /** bytes of hard-link and sparse-file paths kept in memory before the capture fails */
  candidateBudget?: number;
  /** runs getfattr and find through this (a snapshot's view: consistency/snapshot-view.ts) */
  wrap?: ToolWrap;
  /** also write the drill manifest (tree totals and a hashed sample; drill/manifest-capture.ts) */
  manifest?: Omit<ManifestOptions, 'signal' | 'timeoutMs'>;
  /** also receives every chunk of the walk (walk-format.ts), e.g. for the change fingerprint */
  onWalk?: (chunk: Buffer) => void;
  /** called once the find walk is done; false stops the capture there (run-walks.ts) */
  afterWalk?: () => Promise<boolean>;
}

// -P: never follow symlinks (to directories or as arguments); -h: record a symlink's own
// xattrs instead of its target's. ACLs are system.posix_acl_* xattrs, so `-m -` keeps them.
// No one-file-system switch: an LXC rootfs is often its own btrfs subvolume or zfs dataset.
const GETFATTR_ARGS = ['-R', '-P', '-h', '-d', '-m', '-', '-e', 'hex', '.'];
const MAX_EXAMPLES = 3;

// Captures the metadata of containerDir into metaDir, replacing each file by rename; undefined
// when opts.afterWalk stopped it (then nothing in metaDir changed).
export async function captureMetadata(
  containerDir: string,
  metaDir: string,
  opts?: CaptureOptions & { afterWalk?: undefined },
): Promise<MetadataSummary>;
export async function captureMetadata(containerDir: string, metaDir: string, opts: CaptureOptions): Promise<MetadataSummary | undefined>;
export async function captureMetadata(
  containerDir: string,
  metaDir: string,
  opts: CaptureOptions = {},
): Promise<MetadataSummary | undefined> {
  // A missing cwd makes spawn fail with ENOENT, which would read as "getfattr not found".
  const dirStat = await stat(containerDir).catch(() => undefined);
  if (!dirStat?.isDirectory()) throw new Error(`captureMetadata: ${containerDir} is not a directory`);
  await mkdir(metaDir, { recursive: true, mode: 0o700 });
  const tmp = (name: string): string => join(metaDir, `.${name}.tmp-${process.pid}`);
  const written: string[] = [];
  const tool = { cwd: containerDir, signal: opts.signal, timeoutMs: opts.timeoutMs, timeoutName: 'capture_timeout', wrap: opts.wrap };
  try {
    written.push('xattrs.dump');
    const collector = createFindCollector({ walk: true, ...(opts.candidateBudget !== undefined ? { budget: opts.candidateBudget } : {}) });
    // The drill manifest reads the same walk, when the backup will run. One that may turn out
    // unchanged (afterWalk) leaves it out of that walk: the manifest's per-entry parse and hash
    // would more than double the walk an unchanged container pays. Such a backup, once it does
    // run, walks again for the manifest beside getfattr (both mostly wait on the kernel).
    const manifestOptions = opts.manifest && { ...opts.manifest, signal: opts.signal, timeoutMs: opts.timeoutMs };
    const manifest = manifestOptions && startManifest(manifestOptions);
    const manifestInWalk = opts.afterWalk ? undefined : manifest;
    const getfattr = () => streamTool('getfattr', GETFATTR_ARGS, { ...tool, stdoutFile: tmp('xattrs.dump') });
    const walked = await runWalks(
      manifest && !manifestInWalk
        ? () => besideEachOther(getfattr(), streamTool('find', WALK_ARGS, { ...tool, onStdout: (chunk) => manifest.write(chunk) }))
        : getfattr,
      () =>
        streamTool('find', WALK_ARGS, {
          ...tool,
          onStdout: (chunk) => {
            collector.write(chunk);
            manifestInWalk?.write(chunk);
            opts.onWalk?.(chunk);
          },
        }),
      opts.afterWalk,
    );
    if (!walked) return undefined;
    const [xattrs] = walked;
    const found = collector.finish();
    written.push('hardlinks.nul', 'sparse.nul');
    await writePieces(tmp('hardlinks.nul'), hardlinkPieces(found.plan.hardlinkGroups), 0o600);
    await writePieces(tmp('sparse.nul'), sparsePieces(found.plan.sparse), 0o600);
    for (const [name, data, mode] of [
      ['apply.py', APPLY_PY, 0o755],
      ['apply.sh', APPLY_SCRIPT, 0o755],
      ['README.txt', README_TEXT, 0o644],
    ] as const) {
      written.push(name);
      await writeFile(tmp(name), data, { mode });
    }
    if (manifest) {
      written.push(MANIFEST_FILE);
      await manifest.finish(containerDir, tmp(MANIFEST_FILE));
    }
    const xattrFiles = await countDumpEntries(tmp('xattrs.dump'));
    let bytes = 0;
    for (const name of written) {
      bytes += (await stat(tmp(name))).size;
      await rename(tmp(name), join(metaDir, name));
    }
    return {
      xattrFiles,
      hardlinkGroups: found.plan.hardlinkGroups.length,
      sparseFiles: found.plan.sparse.length,
      regularFiles: found.total,
      bytes,
      skipped: {
        files: found.skipped,
        xattrPaths: xattrs.tooLong,
        examples: [...new Set([...found.examples, ...xattrs.tooLongExamples])].slice(0, MAX_EXAMPLES),
      },
    };
  } finally {
    await Promise.all(written.map((name) => rm(tmp(name), { force: true })));
  }
}

// The first's result once both have ended (so neither writes after a failure's cleanup); the
// first failure otherwise.
async function besideEachOther<T>(first: Promise<T>, second: Promise<unknown>): Promise<T> {
  const [a, b] = await Promise.allSettled([first, second]);
  if (a.status === 'rejected') throw a.reason;
  if (b.status === 'rejected') throw b.reason;
  return a.value;
}
