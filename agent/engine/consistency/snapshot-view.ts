// Reads a snapshot with the paths of the live container: every tool that reads the tree
// (getfattr, find, duplicity) runs in its own private mount namespace in which the snapshot is
// bound read-only over <host_root>/NAME/rootfs, so the backup's paths are today's and chains
// go on across modes. Nothing of it is seen outside that process; it ends with the process.
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { spawnProcess } from '../process/spawn.js';
import type { ToolCall, ToolWrap } from '../process/tool-wrap.js';

// Binds $1 read-only over $2, then becomes the tool (its arguments follow, never parsed by
// the shell). 125 tells a failed bind from the tool's own exit codes.
const BIND_THEN_EXEC = 'mount --bind -o ro -- "$1" "$2" || exit 125; shift 2; exec "$@"';

// Wraps each tool so that it sees `snapshotDir` at `rootfsDir`.
export function snapshotWrap(snapshotDir: string, rootfsDir: string): ToolWrap {
  return (call: ToolCall) => ({
    file: 'unshare',
    args: [
      '--mount',
      '--propagation',
      'private',
      '--',
      'sh',
      '-c',
      BIND_THEN_EXEC,
      'lxc-backup-view',
      snapshotDir,
      rootfsDir,
      call.file,
      ...call.args,
    ],
  });
}

// Why the view cannot be made here (no unshare, no mount permission), or undefined when a
// trial run of `true` through `wrap` works.
export async function viewProblem(wrap: ToolWrap, signal?: AbortSignal): Promise<string | undefined> {
  const call = wrap({ file: 'true', args: [] });
  const result = await spawnProcess(call.file, call.args, { timeoutMs: 15_000, graceMs: 2_000, ...(signal ? { signal } : {}) });
  if (result.exitCode === 0) return undefined;
  const said = result.startError ?? result.stderr.trim().split('\n').at(-1) ?? '';
  return `a private mount namespace with the snapshot bound over the rootfs does not work here (exit ${result.exitCode ?? result.signal}): ${said.slice(0, 300)}`;
}

// The snapshot's directory in the agent's view of the host, or why the helper's `path` is not
// acceptable: relative to the lxcpath, no `.`/`..`, and every step a real directory (a bind
// follows links, and the agent follows none it did not make).
export async function snapshotDirOf(hostRoot: string, path: string): Promise<{ dir: string } | { problem: string }> {
  const parts = path.split('/');
  if (
    path === '' ||
    path.startsWith('/') ||
    parts.some((part) => part === '' || part === '.' || part === '..' || !/^[A-Za-z0-9._+@:-]+$/.test(part))
  )
    return { problem: `the helper's snapshot path "${path.slice(0, 200)}" is not a plain path relative to the lxcpath` };
  let dir = hostRoot;
  for (const part of parts) {
    dir = join(dir, part);
    const info = await lstat(dir).catch(() => undefined);
    if (!info?.isDirectory())
      return { problem: `snapshot ${dir}: expected a directory, found ${info ? 'something else (a link?)' : 'nothing'}` };
  }
  return { dir };
}
