// Restore side for the agent: runs the metadata directory's own apply.sh, the same command a
// human runs, so there is one implementation to trust.
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { runTool } from './run-tool.js';

// Counts apply.sh reports on its last line.
export interface ApplySummary {
  linked: number;
  sparse: number;
  xattrFiles: number;
  /** entries in the metadata that were outside the subpath or not restored */
  skipped: number;
}

// Parses `summary linked=N sparse=N xattr_files=N skipped=N`; throws if absent.
export function parseApplySummary(stdout: string): ApplySummary {
  const m = /^summary linked=(\d+) sparse=(\d+) xattr_files=(\d+) skipped=(\d+)$/m.exec(stdout);
  if (!m) throw new Error(`apply.sh: expected a "summary …" line, got ${JSON.stringify(stdout.slice(-200))}`);
  return { linked: Number(m[1]), sparse: Number(m[2]), xattrFiles: Number(m[3]), skipped: Number(m[4]) };
}

// Re-applies metaDir (as restored from the backup) onto restoredDir, optionally a subtree.
export async function applyMetadata(
  restoredDir: string,
  metaDir: string,
  opts: { subpath?: string; signal?: AbortSignal } = {},
): Promise<ApplySummary> {
  const script = join(metaDir, 'apply.sh');
  await access(script).catch(() => {
    throw new Error(`applyMetadata: ${script} not found: restore the metadata directory first`);
  });
  const args = [script, restoredDir, ...(opts.subpath ? [opts.subpath] : [])];
  // apply.sh exits non-zero on any real failure; its last stderr line is the one-line reason.
  const out = await runApply(args, metaDir, opts.signal);
  return parseApplySummary(out);
}

async function runApply(args: string[], cwd: string, signal?: AbortSignal): Promise<string> {
  try {
    return (await runTool('bash', args, { cwd, signal, strict: true })).toString('utf8');
  } catch (err) {
    throw new Error(`applyMetadata: ${(err as Error).message}`);
  }
}
