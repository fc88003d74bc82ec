// The policy's exclude patterns as walks of a container apply them (the change fingerprint,
// the drill manifest). `excludes` may keep an entry duplicity leaves out, but never drops one
// duplicity keeps: any pattern whose duplicity meaning it cannot copy exactly is kept out of
// it, not approximated, and listed in `unsupported`, so each caller decides what that means
// for it. `mightExclude` adds a wide reading of those (exclude-globs-wide.ts).
import { posix } from 'node:path';
import { compileWide } from './exclude-globs-wide.js';

// Tests a walk path (relative to the container directory, no leading `./`): `path`, or
// path[start, end) (no subarray per entry on the walk's hot path).
export interface ExcludeMatcher {
  excludes(path: Buffer, start?: number, end?: number): boolean;
  /** excludes(), or an unsupported pattern could exclude it: a superset of duplicity's excludes */
  mightExclude(path: Buffer, start?: number, end?: number): boolean;
  /** the patterns left out because the matcher cannot copy their meaning */
  unsupported: string[];
}

interface Compiled {
  // The pattern's bytes up to its first glob character: a cheap test before the regex.
  prefix: Buffer;
  // Undefined for a literal pattern (no glob characters).
  regex?: RegExp;
}

const SLASH = 0x2f;

// Compiles the policy's `exclude` list (duplicity glob syntax, relative to the container).
export function compileExcludes(patterns: readonly string[]): ExcludeMatcher {
  const compiled: Compiled[] = [];
  const unsupported: string[] = [];
  for (const pattern of patterns) {
    const one = compileOne(pattern);
    if (one) compiled.push(one);
    else unsupported.push(pattern);
  }
  const excludes = (path: Buffer, start = 0, end = path.length): boolean => {
    for (const c of compiled) {
      const length = c.prefix.length;
      if (end - start < length || !startsWith(path, start, c.prefix)) continue;
      if (!c.regex) {
        // duplicity: a pattern that matches a directory excludes everything under it.
        if (end - start === length || path[start + length] === SLASH) return true;
      } else if (c.regex.test(path.toString('latin1', start, end))) return true;
    }
    return false;
  };
  const wide = compileWide(unsupported);
  return {
    unsupported,
    excludes,
    mightExclude: (path, start = 0, end = path.length) => excludes(path, start, end) || wide(path, start, end),
  };
}

// Whether buf at `start` begins with `prefix` (the caller checked the length).
function startsWith(buf: Buffer, start: number, prefix: Buffer): boolean {
  for (let i = 0; i < prefix.length; i++) if (buf[start + i] !== prefix[i]) return false;
  return true;
}

// The pattern as exclude-file.ts hands it to duplicity (joined to the container directory,
// so normalised the same way), or undefined when it is not safe to copy.
function compileOne(pattern: string): Compiled | undefined {
  const normal = posix.normalize(pattern);
  // Left to duplicity alone: bracket classes, `ignorecase:`, a trailing `/` (directories only),
  // anything normalising to the whole tree, and non-ASCII (duplicity matches characters, we bytes).
  if (/[[\]\\]|^ignorecase:|\/$|^\.\.?$|^\.\//.test(normal) || /[^\x20-\x7e]/.test(normal)) return undefined;
  const firstGlob = normal.search(/[*?]/);
  if (firstGlob === -1) return { prefix: Buffer.from(normal, 'latin1') };
  let source = '';
  for (let i = 0; i < normal.length; i++) {
    const ch = normal[i] ?? '';
    if (ch === '*' && normal[i + 1] === '*') {
      source += '.*';
      i++;
    } else if (ch === '*') source += '[^/]*';
    // One ASCII byte only: duplicity's `?` is one character, which may be several bytes, so a
    // byte-wise `?` could match a name duplicity's does not.
    else if (ch === '?') source += '[\\x00-\\x2e\\x30-\\x7f]';
    else source += ch.replace(/[.^$+(){}|-]/g, '\\$&');
  }
  // `s`: a guest's path may hold a newline, and `.` must match it as duplicity's `**` does.
  return { prefix: Buffer.from(normal.slice(0, firstGlob), 'latin1'), regex: new RegExp(`^${source}(?:/.*)?$`, 's') };
}
