// Reads a walker's stderr line by line with bounded memory: getfattr prints one line per path
// it cannot reach, each holding that path (up to 4 KB), and a guest decides how many there are.
import { escapePathExample } from './skipped.js';

// What a walker complained about, sorted into what a capture tolerates and what it does not.
export interface StderrSummary {
  /** "No such file or directory": a file deleted between readdir and stat */
  vanished: number;
  /** "File name too long": a path beyond PATH_MAX, skipped by the tool */
  tooLong: number;
  /** up to three escaped, shortened paths from the too-long lines */
  tooLongExamples: string[];
  /** any other line */
  other: number;
  /** the first other line, escaped and shortened */
  firstOther?: string;
}

// A stateful scanner; push() stderr chunks, then end().
export interface StderrScanner {
  push(chunk: Buffer): void;
  end(): StderrSummary;
}

// Bytes kept from the start of a line (the tool's name and the path's start) and its end
// (the reason); the middle of a long line is dropped as it streams by.
const HEAD_BYTES = 300;
const TAIL_BYTES = 64;
const MAX_EXAMPLES = 3;
const VANISHED = ': No such file or directory';
const TOO_LONG = ': File name too long';

// Creates a scanner for the stderr of `tool` (its lines start with `tool: `).
export function createStderrScanner(tool: string): StderrScanner {
  const summary: StderrSummary = { vanished: 0, tooLong: 0, tooLongExamples: [], other: 0 };
  let head = Buffer.alloc(0);
  let tail = Buffer.alloc(0);
  let length = 0;

  const add = (bytes: Buffer): void => {
    if (head.length < HEAD_BYTES) head = Buffer.concat([head, bytes.subarray(0, HEAD_BYTES - head.length)]);
    tail = Buffer.from(Buffer.concat([tail, bytes.subarray(-TAIL_BYTES)]).subarray(-TAIL_BYTES));
    length += bytes.length;
  };
  const finishLine = (): void => {
    if (length === 0) return;
    const reason = tail.toString('latin1');
    if (reason.endsWith(VANISHED)) summary.vanished++;
    else if (reason.endsWith(TOO_LONG)) {
      summary.tooLong++;
      if (summary.tooLongExamples.length < MAX_EXAMPLES) summary.tooLongExamples.push(tooLongPath(tool, head, tail, length));
    } else {
      summary.other++;
      // The whole line when it is short; otherwise its start and its reason.
      summary.firstOther ??= length <= HEAD_BYTES ? printable(head) : `${printable(head.subarray(0, 120))}…${printable(tail)}`;
    }
    head = Buffer.alloc(0);
    tail = Buffer.alloc(0);
    length = 0;
  };

  return {
    push(chunk) {
      let start = 0;
      for (let nl = chunk.indexOf(0x0a); nl !== -1; nl = chunk.indexOf(0x0a, start)) {
        add(chunk.subarray(start, nl));
        finishLine();
        start = nl + 1;
      }
      if (start < chunk.length) add(chunk.subarray(start));
    },
    end() {
      finishLine();
      return summary;
    },
  };
}

// The path in `tool: PATH: File name too long`, escaped, from the line's first and last bytes.
function tooLongPath(tool: string, head: Buffer, tail: Buffer, length: number): string {
  const prefix = Buffer.from(`${tool}: `);
  let path = head.subarray(head.subarray(0, prefix.length).equals(prefix) ? prefix.length : 0);
  if (path[0] === 0x2e && path[1] === 0x2f) path = path.subarray(2);
  const pathBytes = length - (head.length - path.length) - TOO_LONG.length;
  return escapePathExample(path, pathBytes, tail.subarray(0, tail.length - TOO_LONG.length));
}

// Control characters and non-ASCII bytes as \xNN; printable ASCII as is.
function printable(bytes: Buffer): string {
  return bytes.toString('latin1').replace(/[^\x20-\x7e]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
