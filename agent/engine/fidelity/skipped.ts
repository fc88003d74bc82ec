// What a capture left out, in a form safe to log: a guest chooses these names, so they are
// shortened and escaped before they reach a log line, a status or a notification.

// Entries a capture could not record, reported in the job's outcome and log line.
export interface SkippedEntries {
  /** regular files find printed with a path of PATH_MAX bytes or more */
  files: number;
  /** paths getfattr reported as "File name too long": nothing below them has its xattrs recorded */
  xattrPaths: number;
  /** up to three escaped, shortened example paths */
  examples: string[];
}

// Bytes shown from each end of a long path; the middle is summarised by the length.
const END_BYTES = 24;

// A path as printable ASCII (other bytes and the backslash as \xNN). A path of `totalBytes`
// known only by its first bytes `head` and last bytes `tail` shows as `HEAD…TAIL (N bytes)`.
export function escapePathExample(head: Uint8Array, totalBytes = head.length, tail: Uint8Array = head): string {
  if (totalBytes <= 2 * END_BYTES && head.length >= totalBytes) return escapeBytes(head.subarray(0, totalBytes));
  return `${escapeBytes(head.subarray(0, END_BYTES))}…${escapeBytes(tail.subarray(-END_BYTES))} (${totalBytes} bytes)`;
}

function escapeBytes(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) {
    text += byte > 0x20 && byte < 0x7f && byte !== 0x5c ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return text;
}

// One line for a log or an outcome: how many entries were skipped and why.
export function describeSkipped(skipped: SkippedEntries): string {
  const parts: string[] = [];
  if (skipped.files > 0) parts.push(`${skipped.files} files`);
  if (skipped.xattrPaths > 0) parts.push(`xattrs below ${skipped.xattrPaths} paths`);
  return `skipped ${parts.join(' and ')}: path longer than PATH_MAX (4096 bytes); e.g. ${skipped.examples.join(', ')}`;
}
