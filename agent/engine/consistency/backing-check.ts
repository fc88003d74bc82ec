// Whether the rootfs the backup is about to read really holds the container's files: a ZFS
// dataset must be mounted there (and seen through the recursive lxcpath bind), an LVM volume
// is read only from a host helper snapshot. An empty mount point would back up as "nothing".
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readConfigFile } from '../../discovery/read-config.js';
import { parseLxcConfig } from '../../discovery/lxc-config.js';
import { classifyRootfs } from '../../discovery/rootfs.js';
import type { UsedMode } from './decide.js';

// The rootfs backing store named by the container's config, when it is not a plain directory.
export async function configBacking(containerDir: string, name: string, hostRoot: string): Promise<'btrfs' | 'zfs' | 'lvm' | undefined> {
  const read = await readConfigFile(join(containerDir, 'config'));
  if (!('text' in read)) return undefined;
  const place = classifyRootfs(parseLxcConfig(read.text).rootfsPath, name, containerDir, hostRoot);
  return place.supported ? place.backing : undefined;
}

// Why a `mode` backup of this rootfs would not read the container's files; undefined when it would.
export async function backingProblem(
  containerDir: string,
  backing: 'btrfs' | 'zfs' | 'lvm' | undefined,
  mode: UsedMode,
): Promise<string | undefined> {
  const rootfs = join(containerDir, 'rootfs');
  if (backing === 'lvm' && mode !== 'snapshot')
    return `rootfs on lvm is read only from a host helper snapshot, and this backup could not have one: make the host helper reachable (policy host_helper) with consistency snapshot or auto`;
  if (backing === 'zfs' && mode !== 'snapshot') {
    const [dir, fs] = await Promise.all([stat(containerDir).catch(() => undefined), stat(rootfs).catch(() => undefined)]);
    if (dir && fs && dir.dev === fs.dev)
      return `rootfs on zfs: no dataset is mounted at ${rootfs} (the host lxcpath must be bound recursively, rbind, and the dataset mounted on the host)`;
  }
  return undefined;
}
