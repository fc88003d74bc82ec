// Reads what a drill manifest needs from one record of the capture's walk (walk-format.ts:
// `%y %C@ %m %U %G %D %i %n %s %b %T@ %p`), byte by byte: it runs for every entry of every
// container, so no string or Buffer per field.
import { skipFields } from '../fidelity/walk-format.js';

// One record's manifest fields; the path is buf[pathStart, end) without find's `./`.
export interface ManifestFields {
  type: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  /** whole seconds, rounded down (what duplicity restores) */
  mtime: number;
  pathStart: number;
}

const SPACE = 0x20;
const DOT = 0x2e;
const SLASH = 0x2f;
const MINUS = 0x2d;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

// Where the parse is in the record: module state instead of closures, so a record costs no
// allocation but its result (single-threaded, and never re-entered).
let pos = 0;

// Parses buf[start, end); `where` names the record in errors. Throws a one-line error saying
// what was expected when it is not a walk record.
export function parseManifestFields(buf: Buffer, start: number, end: number, where: string): ManifestFields {
  const letter = buf[start] ?? 0;
  if (!((letter | 0x20) >= 0x61 && (letter | 0x20) <= 0x7a) || buf[start + 1] !== SPACE) fail(buf, start, end, where, 'a type letter');
  pos = skipFields(buf, start + 2, end, 1);
  if (pos === -1) fail(buf, start, end, where, 'a ctime');
  const mode = number(buf, end, 8);
  if (mode < 0) fail(buf, start, end, where, 'octal permission bits');
  const uid = number(buf, end, 10);
  if (uid < 0) fail(buf, start, end, where, 'a numeric uid');
  const gid = number(buf, end, 10);
  if (gid < 0) fail(buf, start, end, where, 'a numeric gid');
  pos = skipFields(buf, pos, end, 3);
  if (pos === -1) fail(buf, start, end, where, 'device, inode and link count');
  const size = number(buf, end, 10);
  if (size < 0) fail(buf, start, end, where, 'a size');
  pos = skipFields(buf, pos, end, 1);
  if (pos === -1) fail(buf, start, end, where, 'a block count');
  const mtime = seconds(buf, end);
  if (mtime === undefined) fail(buf, start, end, where, 'an mtime');
  if (end - pos >= 2 && buf[pos] === DOT && buf[pos + 1] === SLASH) pos += 2;
  if (pos >= end) fail(buf, start, end, where, 'a path');
  return { type: String.fromCharCode(letter), mode, uid, gid, size, mtime: mtime ?? 0, pathStart: pos };
}

function fail(buf: Buffer, start: number, end: number, where: string, what: string): never {
  const text = JSON.stringify(buf.toString('latin1', start, Math.min(end, start + 120)));
  throw new Error(`find output: walk record ${where}: expected ${what}, got ${text}`);
}

// A number in `base` ending at a space, -1 when there is none; pos moves past the space.
function number(buf: Buffer, end: number, base: 8 | 10): number {
  let value = 0;
  const first = pos;
  for (; pos < end && buf[pos] !== SPACE; pos++) {
    const digit = (buf[pos] ?? 0) - DIGIT_0;
    if (digit < 0 || digit >= base) return -1;
    value = value * base + digit;
  }
  if (pos === first || pos >= end) return -1;
  pos++;
  return value;
}

// `%T@`: an optional minus, digits, an optional fraction; rounded down like Math.floor.
function seconds(buf: Buffer, end: number): number | undefined {
  const negative = buf[pos] === MINUS;
  if (negative) pos++;
  let value = 0;
  let digits = 0;
  let fraction = false;
  for (; pos < end && buf[pos] !== DOT && buf[pos] !== SPACE; pos++, digits++) {
    const byte = buf[pos] ?? 0;
    if (byte < DIGIT_0 || byte > DIGIT_9) return undefined;
    value = value * 10 + (byte - DIGIT_0);
  }
  if (buf[pos] === DOT)
    for (pos++; pos < end && buf[pos] !== SPACE; pos++) {
      const byte = buf[pos] ?? 0;
      if (byte < DIGIT_0 || byte > DIGIT_9) return undefined;
      if (byte !== DIGIT_0) fraction = true;
    }
  if (digits === 0 || pos >= end) return undefined;
  pos++;
  return negative ? -value - (fraction ? 1 : 0) : value;
}
