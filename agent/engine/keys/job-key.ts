// Which GnuPG home a job that must decrypt (restore, verify, a drill) runs with: the agent's,
// or a temporary one holding a key brought in for it. In pubkey mode the agent's home holds
// only public keys, so such a job without a key fails at once, saying why and how to pass one.
import type { JobContext } from '../job-context.js';
import { holdsSecretKeyFor } from './gpg-key.js';
import { KeyError, withTemporaryKey, type TemporaryKeyOptions } from './temporary-key.js';

// A key brought in: what withTemporaryKey needs, less what the job context supplies.
export type BroughtKey = Omit<TemporaryKeyOptions, 'publicKeysFrom'>;

// The one-line reason a job needs the private key, and how to pass it.
export function privateKeyNeeded(ctx: Pick<JobContext, 'container'>, action: string): string {
  const { name, settings } = ctx.container;
  const keys = settings.encryption.mode === 'pubkey' ? settings.encryption.encrypt_keys.join(', ') : '?';
  return (
    `${action} of ${name} needs the private key: its backups are encrypted to ${keys} (encryption.mode pubkey) ` +
    `and this host holds only the public key; pass it with --key FILE${hint(action, name)}`
  );
}

// Where else the key can come from, for the action.
function hint(action: string, name: string): string {
  if (action === 'restore') return ` (on the host: scripts/restore ${name} --key FILE)`;
  if (action === 'drill') return ' (scheduled drills: verify.key_file)';
  return '';
}

// Runs `fn` with a context whose GnuPG home can decrypt the container's backups.
export async function withDecryptingKey<T>(
  ctx: JobContext,
  action: string,
  key: BroughtKey | undefined,
  fn: (ctx: JobContext) => Promise<T>,
): Promise<T> {
  const { encryption } = ctx.container.settings;
  if (key) {
    return withTemporaryKey({ ...key, publicKeysFrom: ctx.layout.gnupgHome }, (temporary) =>
      fn({
        ...ctx,
        layout: { ...ctx.layout, gnupgHome: temporary.gnupgHome },
        ...(temporary.passphrase !== undefined ? { keyPassphrase: temporary.passphrase } : {}),
      }),
    );
  }
  if (encryption.mode === 'pubkey' && !(await holdsSecretKeyFor(ctx.layout.gnupgHome, encryption.encrypt_keys))) {
    throw new KeyError(privateKeyNeeded(ctx, action));
  }
  return fn(ctx);
}
