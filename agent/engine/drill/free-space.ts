// The disk guard of a drill: it restores a whole container onto the state volume, so it
// refuses up front when the volume cannot hold it, with both sizes in the message.
import { statfs } from 'node:fs/promises';

// Restored trees take more than their file bytes (directories, inodes, duplicity's temp files).
export const SPACE_MARGIN = 1.25;
export const SPACE_OVERHEAD = 16 * 1024 * 1024;

// Bytes a drill of a tree of `treeBytes` needs.
export function spaceNeeded(treeBytes: number): number {
  return Math.ceil(treeBytes * SPACE_MARGIN) + SPACE_OVERHEAD;
}

// Why a drill cannot start (a one-line message), or undefined when `free` bytes suffice.
export function spaceRefusal(where: string, free: number, treeBytes: number): string | undefined {
  const need = spaceNeeded(treeBytes);
  if (free >= need) return undefined;
  return `not enough space for a restore drill in ${where}: need ${formatBytes(need)} (${formatBytes(treeBytes)} of files recorded by the last backup × ${SPACE_MARGIN} + ${formatBytes(SPACE_OVERHEAD)}), ${formatBytes(free)} free`;
}

// Bytes available to us (not root's reserve) on the volume holding `path`.
export async function freeBytes(path: string): Promise<number> {
  const info = await statfs(path);
  return info.bavail * info.bsize;
}

// 1536 → "1.5 KiB", for messages.
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}
