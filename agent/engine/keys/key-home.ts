// The short-lived GnuPG home a private key brought in for one job lives in: on a tmpfs when
// there is one (never written to a disk), mode 0700, named after our pid so a home left by a
// killed process is found and wiped by the next one.
import { lstatSync, mkdtempSync, readdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { errnoCode } from '../../core/error-message.js';

// Linux statfs f_type of tmpfs (linux/magic.h TMPFS_MAGIC).
const TMPFS_MAGIC = 0x01021994;
const PREFIX = 'lxc-backup-key-';

// The first of `candidates` that is a writable tmpfs; the system temp directory otherwise.
export function keyHomeParent(candidates: readonly string[] = ['/dev/shm', '/run']): string {
  for (const dir of candidates) {
    try {
      if (statfsSync(dir).type === TMPFS_MAGIC) return dir;
    } catch {
      // Not there: try the next.
    }
  }
  return tmpdir();
}

// A new empty home under `parent`, 0700 (mkdtemp creates it so), named after this process.
export function makeKeyHome(parent: string): string {
  return mkdtempSync(join(parent, `${PREFIX}${process.pid}-`));
}

// Overwrites every regular file under `dir` with zeros, then removes the tree. Synchronous, so
// it also runs from an exit or signal handler. Never follows a symlink (lstat).
export function wipeKeyHome(dir: string): void {
  const zeroFiles = (path: string): void => {
    let info: ReturnType<typeof lstatSync>;
    try {
      info = lstatSync(path);
    } catch {
      return;
    }
    if (info.isDirectory()) for (const name of safeReaddir(path)) zeroFiles(join(path, name));
    else if (info.isFile() && info.size > 0) {
      try {
        writeFileSync(path, Buffer.alloc(info.size), { flag: 'r+' });
      } catch {
        // Removed below either way.
      }
    }
  };
  zeroFiles(dir);
  rmSync(dir, { recursive: true, force: true });
}

// Wipes homes under `parent` that a process no longer running left behind (killed mid-restore).
export function sweepStaleKeyHomes(parent: string): string[] {
  const swept: string[] = [];
  for (const name of safeReaddir(parent)) {
    const pid = Number(/^lxc-backup-key-(\d+)-/.exec(name)?.[1]);
    if (!pid || pid === process.pid || isAlive(pid)) continue;
    wipeKeyHome(join(parent, name));
    swept.push(join(parent, name));
  }
  return swept;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errnoCode(error) === 'EPERM';
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
