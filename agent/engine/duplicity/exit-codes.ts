// Turns a failed duplicity run (exit code or signal, stderr tail) into a retry decision and one line.
import type { FailureKind } from '../../core/job.js';

export interface ExitClassification {
  kind: FailureKind;
  message: string;
}

type Rule = { kind: FailureKind; text: string; excerpt?: boolean };

// Recognised stderr text, checked before the exit code: the code alone is too coarse (0.8.22 exits 23
// both for a held lock and for a BackendException such as a refused connection).
const PATTERNS: Array<[RegExp, Rule]> = [
  [/Another duplicity instance is already running/i, { kind: 'transient', text: 'another backup of this container is running' }],
  [
    /decryption failed: No secret key/i,
    {
      kind: 'permanent',
      text: 'gpg has no private key to decrypt with: encryption.mode pubkey keeps it off this host (pass it with --key FILE)',
    },
  ],
  [
    /bad passphrase|decryption failed|Bad session key|BAD_PASSPHRASE|no valid OpenPGP data/i,
    { kind: 'permanent', text: 'wrong passphrase or key' },
  ],
  [
    /No public key|No secret key|unusable public key|public key not found/i,
    { kind: 'permanent', text: 'gpg key not found in the keyring' },
  ],
  [/No signature chains found|No backup chains found|No backup sets found/i, { kind: 'permanent', text: 'no backups found on the target' }],
  [
    /Connection refused|Unable to connect|Connection reset|timed out|Network is unreachable|No route to host|Temporary failure in name resolution|Name or service not known/i,
    { kind: 'transient', text: 'cannot reach the backup target', excerpt: true },
  ],
  [/No space left on device/i, { kind: 'transient', text: 'no space left on device', excerpt: true }],
  [/Permission denied/i, { kind: 'permanent', text: 'permission denied', excerpt: true }],
  [/Backup source directory .* does not exist/i, { kind: 'permanent', text: 'the backup source directory does not exist' }],
];

// duplicity's own codes: log.py ErrorCode in 0.8.22 and 3.0.x (FatalError exits with the code), plus
// 4 for Ctrl-C (bin/duplicity KeyboardInterrupt handler; 4 is also no_manifests, told apart by text).
const CODES: Record<number, Rule> = {
  1: { kind: 'permanent', text: 'duplicity failed', excerpt: true },
  2: { kind: 'permanent', text: 'duplicity rejected its command line', excerpt: true },
  3: { kind: 'permanent', text: 'the target was written by another host (hostname mismatch)' },
  5: { kind: 'permanent', text: 'backup manifests on the target do not match', excerpt: true },
  6: { kind: 'permanent', text: 'backup manifests on the target are unreadable', excerpt: true },
  8: { kind: 'permanent', text: 'bad target URL', excerpt: true },
  9: { kind: 'permanent', text: 'bad archive directory', excerpt: true },
  // 0.8.22 bad_sign_key; 3.0.x deprecated_option.
  10: { kind: 'permanent', text: 'bad signing key or deprecated option', excerpt: true },
  13: { kind: 'permanent', text: 'the backup source directory does not exist' },
  17: { kind: 'permanent', text: 'incremental backup without signatures: a full backup is needed' },
  18: { kind: 'permanent', text: 'no signatures found on the target' },
  19: { kind: 'permanent', text: 'path not found in the backup' },
  20: { kind: 'permanent', text: 'no files found in the backup' },
  21: { kind: 'permanent', text: 'a backup volume is corrupt (hash mismatch)' },
  22: { kind: 'permanent', text: 'a backup volume is not signed by the expected key' },
  23: { kind: 'permanent', text: 'duplicity reported a user error', excerpt: true },
  30: { kind: 'permanent', text: 'duplicity crashed', excerpt: true },
  31: { kind: 'permanent', text: 'gpg failed', excerpt: true },
  33: { kind: 'permanent', text: 'not supported by this duplicity', excerpt: true },
  34: { kind: 'transient', text: 'cannot determine free space in the temp directory' },
  35: { kind: 'transient', text: 'not enough free space in the temp directory' },
  37: { kind: 'permanent', text: 'open file limit too low for duplicity (ulimit -n)' },
  38: { kind: 'transient', text: 'connection to the backup target failed', excerpt: true },
  42: { kind: 'permanent', text: 'the target holds backups of a different source directory' },
  44: { kind: 'permanent', text: 'a backup volume has the wrong size', excerpt: true },
  45: { kind: 'permanent', text: 'encryption settings do not match the existing backups' },
  46: { kind: 'permanent', text: 'PYTHONOPTIMIZE is set; duplicity refuses to run' },
  50: { kind: 'transient', text: 'backend error', excerpt: true },
  // Access rights do not fix themselves; unlike the other backend codes, retrying is pointless.
  51: { kind: 'permanent', text: 'permission denied on the backup target', excerpt: true },
  52: { kind: 'transient', text: 'not found on the backup target', excerpt: true },
  53: { kind: 'transient', text: 'the backup target is out of space' },
  54: { kind: 'transient', text: 'backend command failed', excerpt: true },
  55: { kind: 'transient', text: 'backend error', excerpt: true },
  // 3.0.x only.
  56: { kind: 'transient', text: 'backend validation failed', excerpt: true },
  // 3.0.x only: file selection errors (70-73) and gpg key errors (80-82).
  70: { kind: 'permanent', text: 'invalid file selection', excerpt: true },
  71: { kind: 'permanent', text: 'invalid file selection', excerpt: true },
  72: { kind: 'permanent', text: 'invalid file selection', excerpt: true },
  73: { kind: 'permanent', text: 'invalid file selection', excerpt: true },
  80: { kind: 'permanent', text: 'bad signing key' },
  81: { kind: 'permanent', text: 'bad encryption key' },
  82: { kind: 'permanent', text: 'bad hidden encryption key' },
  127: { kind: 'permanent', text: 'duplicity (or nice/ionice) is not installed' },
};

// Retry decision and a one-line message for a failed run. `exitCode` null/undefined with a signal means
// the process was killed. Messages are fixed texts plus at most a sanitized excerpt of duplicity's last
// error line, so no secret from the environment can reach them.
export function classifyExit(exitCode: number | null | undefined, stderrTail: string, signal?: string | null): ExitClassification {
  if (exitCode === null || exitCode === undefined) return { kind: 'transient', message: `interrupted${signal ? ` (${signal})` : ''}` };
  const excerpt = lastErrorLine(stderrTail);
  for (const [pattern, rule] of PATTERNS) if (pattern.test(stderrTail)) return render(rule, excerpt);
  if (exitCode === 4) {
    return /manifest/i.test(stderrTail)
      ? { kind: 'permanent', message: 'no backup manifests found on the target (exit 4)' }
      : { kind: 'transient', message: 'interrupted' };
  }
  if (exitCode > 128 && exitCode < 160) return { kind: 'transient', message: `interrupted (signal ${exitCode - 128})` };
  const rule = CODES[exitCode];
  if (rule) return render({ ...rule, text: `${rule.text} (exit ${exitCode})` }, excerpt);
  return render({ kind: 'permanent', text: `duplicity failed (exit ${exitCode})`, excerpt: true }, excerpt);
}

function render(rule: Rule, excerpt: string | undefined): ExitClassification {
  return { kind: rule.kind, message: rule.excerpt && excerpt ? `${rule.text}: ${excerpt}` : rule.text };
}

// duplicity's last meaningful error line: the last "SomethingError: …" / "…Exception: …" line, else the
// last non-empty line that is not traceback, GnuPG-log framing or lock-release noise.
export function lastErrorLine(stderrTail: string): string | undefined {
  const lines = stderrTail
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const errorLine = lines.filter((l) => /^[\w.]*(?:Error|Exception)\b:/.test(l)).at(-1);
  const fallback = lines
    .filter((l) => !/^(Traceback|File "|\^+$|=====|Could not release lockfile|Call stack:|Arguments:|--- Logging error ---)/.test(l))
    .at(-1);
  const line = errorLine ?? fallback;
  return line === undefined ? undefined : sanitize(line);
}

// One short printable line with credentials in URLs and key=value secrets masked.
export function sanitize(line: string): string {
  const clean = line
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this replaces
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .replace(/([a-z][\w+.-]*:\/\/[^\s:/@]+):[^\s@/]*@/gi, '$1:***@')
    .replace(/\b(pass(?:word|phrase)?|secret|token|key)=\S+/gi, '$1=***')
    .replace(/\s+/g, ' ')
    .trim();
  return clean.length > 160 ? `${clean.slice(0, 157)}...` : clean;
}
