// A digest of everything outside the container's tree that changes what its next backup set
// would hold or where it goes: a different value means the set on the target no longer matches
// the policy, so an unchanged tree is not enough to skip duplicity.
import { createHash, scryptSync } from 'node:crypto';
import { APPLY_PY, APPLY_SCRIPT, README_TEXT } from '../fidelity/apply-script.js';
import { WALK_PRINTF } from '../fidelity/walk-format.js';
import type { JobContext } from '../job-context.js';

// scrypt costs ~50-100 ms: once per passphrase and process (the salt is the installation's
// state_dir, not the container), not once per container and backup.
const slowHashes = new Map<string, string>();
function slowHash(secret: string, stateDir: string): string {
  const key = `${stateDir}\0${secret}`;
  let hash = slowHashes.get(key);
  if (hash === undefined) {
    hash = scryptSync(secret, `lxc-backup unchanged ${stateDir}`, 32).toString('hex');
    slowHashes.set(key, hash);
  }
  return hash;
}

// Bumped when what the fingerprint covers changes, so an old record never matches a new one.
const FORMAT = 1;

// Hex SHA-256 over the target, excludes, encryption (key ids; a passphrase only through scrypt,
// so the stored digest is no cheap way to test guesses at it), compression, volume size, duplicity's version and the metadata scripts
// that travel in every set. Throws when a referenced secret is unset (the backup would too).
export function settingsDigest(ctx: JobContext): string {
  const { settings, target } = ctx.container;
  const { encryption } = settings;
  const secret = (reference: string | undefined): string | null =>
    reference === undefined ? null : slowHash(ctx.secret(reference), ctx.policy.state_dir);
  const encryptionPart =
    encryption.mode === 'symmetric'
      ? { mode: encryption.mode, passphrase: secret(encryption.passphrase) }
      : encryption.mode === 'pubkey'
        ? { ...encryption, sign_passphrase: secret(encryption.sign_passphrase) }
        : { mode: encryption.mode };
  const parts = {
    format: FORMAT,
    walk: WALK_PRINTF,
    target,
    container_dir: ctx.layout.containerDir,
    exclude: settings.exclude,
    encryption: encryptionPart,
    compression: settings.compression,
    volsize: settings.volsize,
    duplicity: ctx.version,
    scripts: createHash('sha256').update(APPLY_PY).update(APPLY_SCRIPT).update(README_TEXT).digest('hex'),
  };
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}
