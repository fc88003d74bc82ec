// The one reader of the secrets file, used by every path that loads secrets (agent start,
// live reload, each job, notifications, every CLI verb, `policy check`). The file is opened
// without following a symlink and checked through the descriptor it is read from, so what is
// checked is what is read: a regular file, owned by root, with no group or other bits.
import { constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { parseSecretsFile, type SecretsFileProblem } from './secrets.js';
import { errnoCode, errorMessage } from '../core/error-message.js';

// Secrets files are a few lines; anything bigger is not one.
const MAX_BYTES = 1024 * 1024;

// The secrets file is unusable: the message says which file, what was found and how to fix it.
export class SecretsFileError extends Error {
  override name = 'SecretsFileError';
}

export interface SecretsFileContent {
  values: Map<string, string>;
  problems: SecretsFileProblem[];
}

// Reads a secrets file's values (the shape every loader takes, so the agent can pass a reader
// that keeps the last good values).
export type SecretsReader = (file: string) => Promise<Map<string, string>>;

function octal(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}

// Root, or the user running lxc-backup (a non-root run cannot read root's 0600 file at all).
function trustedOwner(uid: number): boolean {
  return uid === 0 || uid === process.geteuid?.();
}

// Reads and checks `file`; undefined when it does not exist; SecretsFileError when it is unsafe.
export async function readSecretsFile(file: string): Promise<SecretsFileContent | undefined> {
  let handle: FileHandle;
  try {
    // O_NONBLOCK: a FIFO put in its place would otherwise hold the open until a writer comes.
    handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP')
      throw new SecretsFileError(`${file}: expected a regular file, got a symlink: put the file itself there (mode 0600, owned by root)`);
    throw new SecretsFileError(`${file}: cannot read the secrets file (${code ?? errorMessage(error)})`);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile())
      throw new SecretsFileError(
        `${file}: expected a regular file, got something else (mode ${octal(stats.mode)}): put the secrets file itself there`,
      );
    if ((stats.mode & 0o077) !== 0 || !trustedOwner(stats.uid)) {
      throw new SecretsFileError(
        `${file}: expected mode 0600 owned by root, got ${octal(stats.mode)} owner ${stats.uid}: run chmod 600 ${file}; chown root:root ${file}`,
      );
    }
    if (stats.size > MAX_BYTES)
      throw new SecretsFileError(`${file}: expected at most ${MAX_BYTES} bytes of KEY=value lines, got ${stats.size} bytes`);
    const buffer = Buffer.alloc(stats.size);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    return parseSecretsFile(buffer.toString('utf8', 0, length));
  } finally {
    await handle.close();
  }
}

// The KEY=value pairs of `file`; empty when it does not exist; SecretsFileError when unsafe.
export async function readSecretValues(file: string): Promise<Map<string, string>> {
  return (await readSecretsFile(file))?.values ?? new Map();
}
