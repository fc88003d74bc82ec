// Restore side for the agent: runs the bundled apply.py (the same program a human runs from
// the metadata directory) against a restored tree. The agent never runs a script that came
// back from a backup: an older backup's apply.sh followed symlinks.
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { APPLY_PY } from './apply-script.js';
import { duplicityPython } from '../duplicity/python.js';
import { runTool } from './run-tool.js';

// Counts apply.py reports on its last line.
export interface ApplySummary {
  linked: number;
  sparse: number;
  xattrFiles: number;
  /** entries outside the subpath, not restored, or reached only through a symlink */
  skipped: number;
}

// The metadata files apply.py reads; a metadata directory holds all of them.
const METADATA_FILES = ['xattrs.dump', 'hardlinks.nul', 'sparse.nul'];

// Parses `summary linked=N sparse=N xattr_files=N skipped=N`; throws if absent.
export function parseApplySummary(stdout: string): ApplySummary {
  const m = /^summary linked=(\d+) sparse=(\d+) xattr_files=(\d+) skipped=(\d+)$/m.exec(stdout);
  if (!m) throw new Error(`apply.py: expected a "summary …" line, got ${JSON.stringify(stdout.slice(-200))}`);
  return { linked: Number(m[1]), sparse: Number(m[2]), xattrFiles: Number(m[3]), skipped: Number(m[4]) };
}

// Re-applies metaDir (as restored from the backup) onto restoredDir, optionally a subtree.
export async function applyMetadata(
  restoredDir: string,
  metaDir: string,
  opts: { subpath?: string; signal?: AbortSignal } = {},
): Promise<ApplySummary> {
  for (const name of METADATA_FILES) {
    await access(join(metaDir, name)).catch(() => {
      throw new Error(`applyMetadata: ${join(metaDir, name)} not found: restore the metadata directory first`);
    });
  }
  const args = ['-c', APPLY_PY, '--meta', metaDir, restoredDir, ...(opts.subpath ? [opts.subpath] : [])];
  try {
    // apply.py exits non-zero on any real failure; its last stderr line is the one-line reason.
    const out = await runTool(await duplicityPython(), args, { cwd: metaDir, signal: opts.signal, strict: true });
    return parseApplySummary(out.toString('utf8'));
  } catch (error) {
    throw new Error(`applyMetadata: ${error instanceof Error ? error.message : String(error)}`);
  }
}
