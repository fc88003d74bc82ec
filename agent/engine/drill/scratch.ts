// The drill's scratch directories under state_dir/drill: one per drill, named after the
// container and the agent's pid, so a drill killed with its process is found and removed by
// the next drill (a live pid's directory is another drill's).
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoCode } from '../../core/error-message.js';
import { containerFileName } from '../duplicity/container-file-name.js';

// The drill root's name under state_dir. Provision bind-mounts the host's restore directory's
// `drill` there, so a scratch dir `X` is `drill/X` below the host helper's restore root.
export const DRILL_DIR = 'drill';

// The drill root under a state directory.
export function drillRoot(stateDir: string): string {
  return join(stateDir, DRILL_DIR);
}

// Makes this process's scratch directory for `name` under `root`, removing any of a dead process first.
export async function makeScratch(root: string, name: string): Promise<{ dir: string; relative: string }> {
  await mkdir(root, { recursive: true, mode: 0o700 });
  const base = containerFileName(name, '.drill').replace(/^hashed\//, '');
  // Any container's: a drill killed with the agent must not hold a container's copy until that
  // container's next drill.
  for (const entry of await readdir(root).catch(() => [])) {
    const pid = Number(/\.drill\.(\d+)$/.exec(entry)?.[1] ?? Number.NaN);
    if (Number.isInteger(pid) && pid !== process.pid && !alive(pid)) await rm(join(root, entry), { recursive: true, force: true });
  }
  const relative = `${base}.${process.pid}`;
  const dir = join(root, relative);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { mode: 0o700 });
  return { dir, relative };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errnoCode(error) === 'EPERM';
  }
}
