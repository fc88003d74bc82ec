// Every `${NAME}` secret reference a policy makes, with the key that makes it.
import type { Override, Policy, Settings } from './schema.js';
import { secretReferenceName } from './secrets.js';

export interface SecretReference {
  name: string;
  path: string;
}

function fromSettings(settings: Partial<Settings> | Override, prefix: string): SecretReference[] {
  const candidates: Array<[string, string | undefined]> = [];
  const { encryption, credentials } = settings;
  if (encryption?.mode === 'symmetric') candidates.push(['encryption.passphrase', encryption.passphrase]);
  if (encryption?.mode === 'pubkey') candidates.push(['encryption.sign_passphrase', encryption.sign_passphrase]);
  candidates.push(['credentials.password', credentials?.password]);
  candidates.push(['credentials.aws_access_key_id', credentials?.aws_access_key_id]);
  candidates.push(['credentials.aws_secret_access_key', credentials?.aws_secret_access_key]);
  return candidates.flatMap(([key, value]) => {
    const name = value === undefined ? undefined : secretReferenceName(value);
    return name ? [{ name, path: `${prefix}.${key}` }] : [];
  });
}

// All secret references, from defaults and every containers entry.
export function collectSecretReferences(policy: Policy): SecretReference[] {
  return [
    ...fromSettings(policy.defaults, 'defaults'),
    ...Object.entries(policy.containers).flatMap(([pattern, entry]) => fromSettings(entry, `containers.${pattern}`)),
  ];
}
