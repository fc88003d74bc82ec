// Decides whether a container's rootfs can be backed up from the container directory.
import { isAbsolute, join, normalize, relative } from 'node:path';

// Where the rootfs lives (inside the agent's view of the host), or why it cannot be backed up.
// `backing`: a store other than a plain directory (engine/consistency/backing-check.ts).
export type RootfsPlace = { supported: true; path: string; backing?: 'btrfs' | 'zfs' | 'lvm' } | { supported: false; reason: string };

// Backing stores that are block devices or special mounts: the files are not visible in
// the container directory, so a backup of it would silently miss them.
const SPECIAL = /^(rbd|loop|overlay|overlayfs|aufs|nbd):/;
// A btrfs subvolume is a plain directory under the lxcpath; a ZFS dataset is mounted at
// NAME/rootfs (seen through the recursive lxcpath bind); an LVM volume only through a host
// helper snapshot. All three are read at the container directory's rootfs.
const STORE = /^(btrfs|zfs|lvm):/;

function inside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

// Classifies `lxc.rootfs.path`. Configs name host paths (`/var/lib/lxc/NAME/rootfs`) while
// the agent sees the store at host_root, so a path through `/NAME/` is mapped into `dir`.
export function classifyRootfs(value: string | undefined, name: string, dir: string, hostRoot: string): RootfsPlace {
  if (value === undefined || value === '') return { supported: true, path: join(dir, 'rootfs') };
  const store = STORE.exec(value)?.[1] as 'btrfs' | 'zfs' | 'lvm' | undefined;
  if (store === 'btrfs') {
    const place = classifyRootfs(value.slice('btrfs:'.length), name, dir, hostRoot);
    return place.supported ? { ...place, backing: 'btrfs' } : place;
  }
  if (store) return { supported: true, path: join(dir, 'rootfs'), backing: store };
  const special = SPECIAL.exec(value);
  if (special)
    return {
      supported: false,
      reason: `rootfs on a ${special[1]} backing store (${value}) is not supported: only dir, btrfs, zfs (mounted at the container's rootfs) and lvm (with the host helper's snapshots) are backed up`,
    };
  const path = value.startsWith('dir:') ? value.slice(4) : value;
  if (!isAbsolute(path)) return { supported: false, reason: `expected an absolute lxc.rootfs.path, got "${value}"` };
  if (path.startsWith('/dev/'))
    return { supported: false, reason: `rootfs on a block device (${value}) is not supported: only directory rootfs are backed up` };
  const clean = normalize(path);
  if (inside(hostRoot, clean)) {
    return inside(dir, clean)
      ? { supported: true, path: clean }
      : { supported: false, reason: `rootfs ${clean} is outside the container directory ${dir}` };
  }
  const marker = `/${name}/`;
  const at = clean.lastIndexOf(marker);
  if (at >= 0) {
    const mapped = join(dir, clean.slice(at + marker.length));
    if (inside(dir, mapped)) return { supported: true, path: mapped };
  }
  return {
    supported: false,
    reason: `rootfs ${clean} is outside host_root ${hostRoot} (only a rootfs inside the container directory is backed up)`,
  };
}
