// The agent's log: pino JSON lines on stdout (journald keeps them), secrets redacted.
import { destination as pinoDestination, pino, stdTimeFunctions, type DestinationStream } from 'pino';

// What the rest of the agent needs from a logger, so tests can pass a recording fake.
export interface Log {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

// Keys whose values never reach a log line, at any of the first three levels.
const SECRET_KEYS = ['passphrase', 'password', 'secret', 'token', 'sign_passphrase', 'aws_secret_access_key', 'PASSPHRASE', 'SIGN_PASSPHRASE', 'FTP_PASSWORD', 'AWS_SECRET_ACCESS_KEY', 'env'];

// pino redact paths for every secret-ish key at depth 0–2.
export function redactPaths(): string[] {
  return SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);
}

// Creates the agent logger writing to `destination` (stdout by default).
export function createLogger(destination?: DestinationStream): Log {
  return pino(
    {
      base: { name: 'lxc-backup' },
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: redactPaths(), censor: '[redacted]' },
    },
    destination ?? pinoDestination({ dest: 1, sync: true }),
  );
}
