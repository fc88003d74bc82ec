// The command sequences of a snapshot, per backing store, as pure argv plans: what runs while
// the guest is frozen, what runs after the thaw to expose the snapshot read-only at `exposed`,
// and what releases it. ZFS and LVM cannot run on the machines this is tested on: their plans
// are unit-tested only.
import type { RootfsSource } from './backing.js';

// The commands of one snapshot.
export interface SnapshotPlan {
  // While the guest is frozen: take the snapshot (fast, metadata only).
  frozen: string[][];
  // After the thaw: make the snapshot readable at `exposed`.
  expose: string[][];
  // Undo: drop the exposure and the snapshot, in this order.
  release: string[][];
}

// What a plan needs beyond the rootfs: the exposed path (an empty directory the helper made,
// except for btrfs, where the snapshot subvolume itself is created there), a unique id, and
// for ZFS the dataset's mountpoint.
export interface PlanInput {
  exposed: string;
  id: string;
  zfsMountpoint?: string;
}

// A dataset or volume name from the host's config; never an option (leading "-") or odd bytes.
const DATASET = /^[A-Za-z0-9_][A-Za-z0-9_.:/-]*$/;
const LVM_DEVICE = /^\/dev\/([A-Za-z0-9+_.][A-Za-z0-9+_.-]*)\/([A-Za-z0-9+_.][A-Za-z0-9+_.-]*)$/;

// The plan for `rootfs`; throws when its store has none or its source is not a name we accept.
export function snapshotPlan(rootfs: RootfsSource, input: PlanInput): SnapshotPlan {
  const { exposed, id } = input;
  switch (rootfs.backing) {
    case 'btrfs':
      if (!rootfs.source.startsWith('/')) throw new Error(`btrfs rootfs: expected an absolute path, found "${rootfs.source}"`);
      return {
        frozen: [['btrfs', 'subvolume', 'snapshot', '-r', rootfs.source, exposed]],
        expose: [],
        release: [['btrfs', 'subvolume', 'delete', exposed]],
      };
    case 'zfs': {
      if (!DATASET.test(rootfs.source)) throw new Error(`zfs rootfs: expected a dataset name, found "${rootfs.source}"`);
      const mountpoint = input.zfsMountpoint;
      if (!mountpoint?.startsWith('/'))
        throw new Error(`zfs dataset ${rootfs.source}: expected an absolute mountpoint, found "${mountpoint}"`);
      const snapshot = `${rootfs.source}@lxc-backup-${id}`;
      return {
        frozen: [['zfs', 'snapshot', snapshot]],
        // .zfs/snapshot/NAME is mounted on first access; the bind makes a read-only view of it.
        expose: [['mount', '--bind', '-o', 'ro', `${mountpoint}/.zfs/snapshot/lxc-backup-${id}`, exposed]],
        release: [
          ['umount', exposed],
          ['zfs', 'destroy', snapshot],
        ],
      };
    }
    case 'lvm': {
      const match = LVM_DEVICE.exec(rootfs.source);
      if (!match) throw new Error(`lvm rootfs: expected /dev/VG/LV, found "${rootfs.source}"`);
      const [, vg, lv] = match;
      const snapshot = `${vg}/${lv}-lxc-backup-${id}`;
      return {
        // Thin snapshot (no size): instant, and writable, so that mounting it can replay the journal.
        frozen: [['lvcreate', '-s', '-n', `${lv}-lxc-backup-${id}`, `${vg}/${lv}`]],
        expose: [
          ['lvchange', '-ay', '-K', snapshot],
          ['mount', '-o', 'ro', `/dev/${snapshot}`, exposed],
        ],
        release: [
          ['umount', exposed],
          ['lvremove', '-f', snapshot],
        ],
      };
    }
    default:
      throw new Error(`a ${rootfs.backing} rootfs cannot be snapshotted`);
  }
}

// The ZFS query for a dataset's mountpoint (needed before the plan).
export function zfsMountpointArgv(dataset: string): string[] {
  return ['zfs', 'get', '-H', '-o', 'value', 'mountpoint', dataset];
}
