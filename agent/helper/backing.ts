// A container's backing store, from the lxc.rootfs.path of its (host-written) config.
import type { BackingStore } from '../core/helper-protocol.js';

// The rootfs: how it is stored and what names it (a directory, a dataset, a device).
export interface RootfsSource {
  backing: BackingStore;
  source: string;
}

// The last lxc.rootfs.path of `configText` (LXC's rule: a later key wins), read as a store kind:
// `dir:/p` or a plain path is dir, `btrfs:/p`, `zfs:pool/ds`, `lvm:/dev/vg/lv`; other prefixes
// (overlay, loop, rbd, nbd) are other. Undefined when the key is missing.
export function rootfsSource(configText: string): RootfsSource | undefined {
  let value: string | undefined;
  for (const line of configText.split('\n')) {
    const match = /^\s*lxc\.rootfs\.path\s*=\s*(.*?)\s*$/.exec(line);
    if (match) value = match[1];
  }
  if (value === undefined || value === '') return undefined;
  if (value.startsWith('/')) return { backing: 'dir', source: value };
  const colon = value.indexOf(':');
  const prefix = colon > 0 ? value.slice(0, colon) : '';
  const rest = value.slice(colon + 1);
  if (prefix === 'dir' || prefix === 'btrfs' || prefix === 'zfs' || prefix === 'lvm') return { backing: prefix, source: rest };
  return { backing: 'other', source: value };
}

// Whether the helper snapshots this store, and why not.
export function snapshotSupport(backing: BackingStore): { snapshot: boolean; reason?: string } {
  if (backing === 'btrfs' || backing === 'zfs' || backing === 'lvm') return { snapshot: true };
  if (backing === 'dir') return { snapshot: false, reason: 'a plain directory rootfs cannot be snapshotted (use freeze)' };
  return { snapshot: false, reason: 'this backing store has no snapshot support in the helper' };
}
