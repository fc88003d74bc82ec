// The agent's log: pino JSON lines on stdout (journald keeps them), secrets redacted.
import { destination as pinoDestination, pino, stdTimeFunctions, type DestinationStream } from 'pino';
import { escapeJsonText } from './escape-control.js';

// What the rest of the agent needs from a logger, so tests can pass a recording fake.
export interface Log {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

// Keys whose values never reach a log line, at any of the first three levels.
const SECRET_KEYS = [
  'passphrase',
  'password',
  'secret',
  'token',
  'sign_passphrase',
  'aws_secret_access_key',
  'PASSPHRASE',
  'SIGN_PASSPHRASE',
  'FTP_PASSWORD',
  'AWS_SECRET_ACCESS_KEY',
  'env',
];

// pino redact paths for every secret-ish key at depth 0–2.
function redactPaths(): string[] {
  return SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);
}

// JSON escapes C0 controls itself but leaves DEL, C1 (U+009B is CSI to a UTF-8 terminal), line
// separators and bidi overrides raw; container names, reasons and duplicity's messages about
// guest files reach log lines, and `journalctl` prints them to a terminal. Strings in the
// message and the top-level fields (and lists of strings) are escaped; objects such as `err` are left to pino.
function escapeLogValue(value: unknown): unknown {
  if (typeof value === 'string') return escapeJsonText(value);
  if (Array.isArray(value)) return value.map((item) => (typeof item === 'string' ? escapeJsonText(item) : item));
  return value;
}

// The arguments of one log call with escapeLogValue applied.
export function escapeLogArguments(args: unknown[]): unknown[] {
  return args.map((arg) => {
    if (arg === null || typeof arg !== 'object' || Array.isArray(arg) || arg instanceof Error) return escapeLogValue(arg);
    return Object.fromEntries(Object.entries(arg).map(([key, value]) => [key, escapeLogValue(value)]));
  });
}

// Creates the agent logger writing to `destination` (stdout by default).
export function createLogger(destination?: DestinationStream): Log {
  return pino(
    {
      base: { name: 'lxc-backup' },
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: redactPaths(), censor: '[redacted]' },
      hooks: {
        logMethod(args, method) {
          method.apply(this, escapeLogArguments(args) as Parameters<typeof method>);
        },
      },
    },
    destination ?? pinoDestination({ dest: 1, sync: true }),
  );
}
