// Makes text that came from a guest (file names, container names, config values) safe to
// print: a guest's root chooses those bytes, and raw control characters in them would drive
// the reader's terminal (escape sequences) or forge extra lines (fake entries, fake log lines).

// C0 controls, DEL, C1 controls (U+0080–U+009F: UTF-8 terminals read U+009B as CSI), the
// Unicode line/paragraph separators and the bidi overrides/isolates ("Trojan Source" reordering),
// and the backslash, which escapeControl uses itself.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this pattern finds
const UNSAFE_OR_BACKSLASH = /[\\\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// What JSON.stringify leaves raw: everything above but the C0 controls (which it escapes).
const RAW_IN_JSON = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\\': '\\\\' };

function visible(char: string): string {
  const named = NAMED[char];
  if (named) return named;
  const code = char.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

// `text` with every control character written visibly (`\x1b`, `\n`, `\u202e`); a backslash
// becomes `\\`, so the result is unambiguous: a name holding the four characters `\x1b` differs
// from one holding ESC. Plain text comes back unchanged.
export function escapeControl(text: string): string {
  return text.replace(UNSAFE_OR_BACKSLASH, visible);
}

// JSON text with the characters JSON.stringify leaves raw written as \uXXXX: the same value for
// a JSON reader, and nothing a terminal acts on when the JSON is printed.
export function escapeJsonText(json: string): string {
  return json.replace(RAW_IN_JSON, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// JSON.stringify for output a person may read on a terminal (see escapeJsonText).
export function stringifyForTerminal(value: unknown, space?: number): string {
  return escapeJsonText(JSON.stringify(value, null, space));
}

// A multi-line message (duplicity's errors) with each line escaped and the line breaks kept.
export function escapeControlLines(text: string): string {
  return text.split('\n').map(escapeControl).join('\n');
}
