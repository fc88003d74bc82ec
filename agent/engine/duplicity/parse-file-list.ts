// Parses `duplicity list-current-files` into (time, path) entries.
import { isMachineLog, parseMachineLog } from './machine-log.js';
import { CTIME_PATTERN, fromCtime, fromDuplicityTime } from './time-format.js';

export interface FileEntry {
  // Modification time, ISO-8601 UTC.
  time: string;
  // Path relative to the backup source; "." is the source directory itself.
  path: string;
  // duplicity's file type (reg, dir, sym, fifo, sock, chr, blk); machine log only.
  type?: string;
}

// Entries from list-current-files output: the `--log-fd` text (preferred) or the human stdout.
export function parseFileList(output: string): FileEntry[] {
  return isMachineLog(output) ? fromMachineLog(output) : fromHumanText(output);
}

// INFO 10 records (dup_main.list_current, same in 0.8.22 and 3.0.x): "TIME 'ESCAPED' TYPE", the path
// escaped by util.escape (Python unicode-escape, "'" as \x27), so names with newlines are unambiguous.
// Caveat (0.8.22, seen here): a name that is not valid UTF-8 makes Python's logging fail for that record,
// so such files are missing from the machine log (stdout still has them, as raw bytes).
function fromMachineLog(output: string): FileEntry[] {
  const entries: FileEntry[] = [];
  for (const record of parseMachineLog(output)) {
    if (record.code !== 10 || record.level !== 'INFO') continue;
    const [, stamp = '', escaped = '', type = ''] = /^(\d{8}T\d{6}Z) '(.*)' (\w+)$/.exec(record.control[0] ?? '') ?? [];
    const time = fromDuplicityTime(stamp);
    if (!time) throw new Error(`list-current-files log: unexpected entry "${record.control[0] ?? ''}"`);
    entries.push({ time, path: unescapePython(escaped), type });
  }
  return entries;
}

// Undoes Python's unicode-escape codec. Lone surrogates (\udc80-\udcff, from undecodable bytes) become
// U+FFFD: a JS string cannot carry the original bytes anyway.
export function unescapePython(text: string): string {
  return text.replace(/\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|(.))/g, (all, x, u, U, c) => {
    if (x) return String.fromCodePoint(parseInt(x as string, 16));
    if (u) {
      const code = parseInt(u as string, 16);
      return code >= 0xd800 && code <= 0xdfff ? '\uFFFD' : String.fromCodePoint(code);
    }
    if (U) return String.fromCodePoint(parseInt(U as string, 16));
    const simple: Record<string, string> = {
      n: '\n',
      t: '\t',
      r: '\r',
      '\\': '\\',
      "'": "'",
      '"': '"',
      a: '\x07',
      b: '\b',
      f: '\f',
      v: '\v',
    };
    return simple[c as string] ?? all;
  });
}

const ENTRY = new RegExp(`^(${CTIME_PATTERN}) (.*)$`);

// Human lines "CTIME PATH" (time read as UTC: run duplicity with TZ=UTC). A name containing a newline
// spans several lines; a line that does not start with a time continues the previous entry. Ambiguous
// when a name contains a newline followed by something that looks like a time: use the machine log.
// Lines before the first entry are notices ("Last full backup date: …").
function fromHumanText(output: string): FileEntry[] {
  const entries: FileEntry[] = [];
  const lines = output.split('\n');
  if (lines.at(-1) === '') lines.pop();
  for (const line of lines) {
    const m = ENTRY.exec(line);
    // Group 1 is the whole time, 2-7 its parts (CTIME_PATTERN), 8 the path.
    const time = fromCtime(m?.[1] ?? '');
    const previous = entries.at(-1);
    if (time) entries.push({ time, path: m?.[8] ?? '' });
    else if (previous) previous.path += `\n${line}`;
  }
  return entries;
}
