// The private key a drill decrypts with: the one brought on the command line (--key), else in
// pubkey mode `verify.key_file` (a key the admin chose to leave on this host for drills), else
// none, and then withDecryptingKey fails in one line saying how to pass one.
import { open } from 'node:fs/promises';
import { errorMessage } from '../../core/error-message.js';
import type { JobContext } from '../job-context.js';
import { type BroughtKey, withDecryptingKey } from '../keys/job-key.js';
import { KeyError } from '../keys/temporary-key.js';

const MAX_KEY_BYTES = 1024 * 1024;

// Runs `fn` (the drill) with a context that can decrypt the container's backups.
export async function withDrillKey<T>(ctx: JobContext, brought: BroughtKey | undefined, fn: (ctx: JobContext) => Promise<T>): Promise<T> {
  return withDecryptingKey(ctx, 'drill', brought ?? (await keyFileOf(ctx)), fn);
}

// verify.key_file, read (at most 1 MiB) in pubkey mode only; a symmetric drill needs no key.
async function keyFileOf(ctx: JobContext): Promise<BroughtKey | undefined> {
  const { encryption, verify } = ctx.container.settings;
  const path = verify.key_file;
  if (encryption.mode !== 'pubkey' || path === null) return undefined;
  const source = `verify.key_file ${path}`;
  return {
    key: await readBounded(path, source),
    source,
    // Nobody is there to type it: a key left for unattended drills has no passphrase.
    askPassphrase: () => Promise.reject(new KeyError(`${source} is passphrase-protected: a key left for scheduled drills must have none`)),
  };
}

async function readBounded(path: string, source: string): Promise<Buffer> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, 'r');
    const buffer = Buffer.alloc(MAX_KEY_BYTES + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead > MAX_KEY_BYTES) throw new KeyError(`${source} is over 1 MiB: expected an exported private key`);
    return buffer.subarray(0, bytesRead);
  } catch (error) {
    if (error instanceof KeyError) throw error;
    throw new KeyError(`cannot read ${source}: ${errorMessage(error)}`);
  } finally {
    await handle?.close();
  }
}
