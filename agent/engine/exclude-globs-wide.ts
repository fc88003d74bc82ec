// A wide reading of the exclude patterns exclude-globs.ts cannot copy exactly: it matches every
// path duplicity's reading could exclude, and more. Used only to keep such paths out of a
// drill's sample (a sampled file the backup left out would read as a mismatch); never to
// decide what a backup holds.
import { posix } from 'node:path';

// Whether a walk path (relative to the container directory) might be excluded.
export type WideTest = (path: Buffer, start: number, end: number) => boolean;

// Any one character as bytes: duplicity matches characters (UTF-8: 1 to 4 bytes), and a
// class such as `[/]` can even match a slash.
const ANY_CHAR = '.{1,4}';
// One character of a name: `?` in duplicity's glob never matches `/`.
const NAME_CHAR = '[^/]{1,4}';
const IGNORECASE = 'ignorecase:';

// A test for `patterns` (duplicity glob syntax, relative to the container); none: never true.
export function compileWide(patterns: readonly string[]): WideTest {
  const sources: string[] = [];
  for (const pattern of patterns) {
    // exclude-file.ts joins the pattern to the container directory, so `ignorecase:` reaches
    // duplicity as part of the path: both readings are covered.
    sources.push(wideSource(pattern, false));
    if (pattern.startsWith(IGNORECASE)) sources.push(wideSource(pattern.slice(IGNORECASE.length), true));
  }
  if (sources.length === 0) return () => false;
  const regex = new RegExp(`^(?:${sources.join('|')})(?:/.*)?$`, 's');
  return (path, start, end) => regex.test(path.toString('latin1', start, end));
}

// The regex source of one pattern: its bytes (UTF-8, one latin1 char each) with every glob
// widened. `ignorecase`: any letter may be any case, or a non-ASCII letter that folds to it
// (Python's re.IGNORECASE: `k` matches the Kelvin sign), and any non-ASCII run any name part.
function wideSource(pattern: string, ignorecase: boolean): string {
  // A trailing `/` means "directories only" to duplicity: without it, files too (wider).
  const normal = posix.normalize(pattern).replace(/\/+$/, '');
  // `.`, `./` or empty: the whole tree.
  if (normal === '' || normal === '.' || normal === './') return '.*';
  const bytes = Buffer.from(normal, 'utf8').toString('latin1');
  let source = '';
  for (let i = 0; i < bytes.length; i++) {
    const ch = bytes[i] ?? '';
    if (ch === '*' && bytes[i + 1] === '*') {
      source += '.*';
      i++;
    } else if (ch === '*') source += '[^/]*';
    else if (ch === '?') source += NAME_CHAR;
    else if (ch === '[') {
      const close = classEnd(bytes, i);
      if (close === -1) source += '\\[';
      else {
        source += ANY_CHAR;
        i = close;
      }
    }
    // Where a reading of duplicity's escaping could differ: anything short.
    else if (ch === '\\' || ch === ']') source += '.{0,4}';
    else if (ignorecase && ch >= '\x80') {
      while (i + 1 < bytes.length && (bytes[i + 1] ?? '') >= '\x80') i++;
      source += '[^/]*';
    } else if (ignorecase && /[a-zA-Z]/.test(ch)) source += `(?:[${ch.toLowerCase()}${ch.toUpperCase()}]|[\\x80-\\xff]{2,4})`;
    else source += ch.replace(/[.^$+(){}|\-[\]\\/*?]/g, '\\$&');
  }
  return source;
}

// Where a `[` class opened at `open` closes (duplicity: `!`/`^` and a first `]` belong to
// the class), or -1 when it does not (then the `[` is literal).
function classEnd(bytes: string, open: number): number {
  let j = open + 1;
  if (bytes[j] === '!' || bytes[j] === '^') j++;
  if (bytes[j] === ']') j++;
  const close = bytes.indexOf(']', j);
  return close;
}
