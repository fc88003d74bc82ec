// Which names the helper acts on: a container of the host's own store (a real directory under
// lxcpath holding a regular, non-symlink `config`), never the backup container itself.
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { escapeControl } from '../core/escape-control.js';
import { refuse } from './helper-failure.js';

// Where a container lives on the host.
export interface HostContainer {
  name: string;
  dir: string;
  config: string;
}

// The container `name` of the store at `lxcpath`, or a refusal. `name` has passed the
// protocol's name rule already (no path characters); this checks it exists and is allowed.
export async function hostContainer(lxcpath: string, backupContainer: string, name: string): Promise<HostContainer> {
  const shown = escapeControl(name);
  if (name === backupContainer) refuse(`${shown} is the backup container: the helper never acts on it`);
  const dir = join(lxcpath, name);
  const config = join(dir, 'config');
  const dirStat = await lstat(dir).catch(() => undefined);
  const configStat = await lstat(config).catch(() => undefined);
  if (!dirStat?.isDirectory() || !configStat?.isFile()) {
    refuse(`${shown} is not a container of this host (expected a directory with a regular file config under ${lxcpath})`);
  }
  return { name, dir, config };
}
