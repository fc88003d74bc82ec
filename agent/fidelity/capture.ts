// Backup side: records into metaDir what duplicity drops (xattrs incl. ACLs and capabilities,
// hard links, holes), without writing anything into the read-only container directory.
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { APPLY_PY, APPLY_SCRIPT, README_TEXT } from './apply-script.js';
import { encodeHardlinks, encodeSparse, FIND_PRINTF, planFidelity, scanFindOutput } from './parse-find-output.js';
import { runTool } from './run-tool.js';

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
}

// -P: never follow symlinks (to directories or as arguments); -h: record a symlink's own
// xattrs instead of its target's. ACLs are system.posix_acl_* xattrs, so `-m -` keeps them.
// No one-file-system switch: an LXC rootfs is often its own btrfs subvolume or zfs dataset.
const GETFATTR_ARGS = ['-R', '-P', '-h', '-d', '-m', '-', '-e', 'hex', '.'];
// One walk for hard links and holes; no -xdev for the same reason as above.
const FIND_ARGS = ['.', '-type', 'f', '-printf', FIND_PRINTF];

// Captures the metadata of containerDir into metaDir, replacing each file by rename.
export async function captureMetadata(
  containerDir: string,
  metaDir: string,
  opts: { signal?: AbortSignal } = {},
): Promise<MetadataSummary> {
  // A missing cwd makes spawn fail with ENOENT, which would read as "getfattr not found".
  const dirStat = await stat(containerDir).catch(() => undefined);
  if (!dirStat?.isDirectory()) throw new Error(`captureMetadata: ${containerDir} is not a directory`);
  await mkdir(metaDir, { recursive: true, mode: 0o700 });
  const tmp = (name: string): string => join(metaDir, `.${name}.tmp-${process.pid}`);
  const written: string[] = [];
  try {
    written.push('xattrs.dump');
    // The two walks side by side (each mostly waits on the kernel; this runs before every
    // backup). Both are waited for before a failure is thrown, so none writes after cleanup.
    const [xattrs, walk] = await Promise.allSettled([
      runTool('getfattr', GETFATTR_ARGS, { cwd: containerDir, signal: opts.signal, stdoutFile: tmp('xattrs.dump') }),
      runTool('find', FIND_ARGS, { cwd: containerDir, signal: opts.signal }),
    ]);
    if (xattrs.status === 'rejected') throw xattrs.reason;
    if (walk.status === 'rejected') throw walk.reason;
    const found = scanFindOutput(walk.value, { onlyCandidates: true });
    const plan = planFidelity(found.records);
    const files: [string, string | Buffer, number][] = [
      ['hardlinks.nul', encodeHardlinks(plan.hardlinkGroups), 0o600],
      ['sparse.nul', encodeSparse(plan.sparse), 0o600],
      ['apply.py', APPLY_PY, 0o755],
      ['apply.sh', APPLY_SCRIPT, 0o755],
      ['README.txt', README_TEXT, 0o644],
    ];
    for (const [name, data, mode] of files) {
      written.push(name);
      await writeFile(tmp(name), data, { mode });
    }
    let bytes = 0;
    for (const name of written) {
      bytes += (await stat(tmp(name))).size;
      await rename(tmp(name), join(metaDir, name));
    }
    const dump = await readFile(join(metaDir, 'xattrs.dump'), 'latin1');
    return {
      xattrFiles: dump.match(/^# file: /gm)?.length ?? 0,
      hardlinkGroups: plan.hardlinkGroups.length,
      sparseFiles: plan.sparse.length,
      regularFiles: found.total,
      bytes,
    };
  } finally {
    await Promise.all(written.map((name) => rm(tmp(name), { force: true })));
  }
}
