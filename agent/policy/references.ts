// Every `${NAME}` secret reference a policy makes, with the key that makes it.
import type { Override, Policy, Settings } from './schema.js';
import { secretReferenceName } from './secrets.js';
import { urlSecretNames } from './url-template.js';

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
  const whole = candidates.flatMap(([key, value]) => {
    const name = value === undefined ? undefined : secretReferenceName(value);
    return name ? [{ name, path: `${prefix}.${key}` }] : [];
  });
  // Notification URLs carry references inside the URL (e.g. a ping token in the path).
  const { notify } = settings;
  const urls: Array<[string, string | null | undefined]> = [
    ['notify.ping.start', notify?.ping?.start],
    ['notify.ping.success', notify?.ping?.success],
    ['notify.ping.fail', notify?.ping?.fail],
    ['notify.webhook', notify?.webhook],
    ['notify.ntfy', notify?.ntfy],
  ];
  const inUrls = urls.flatMap(([key, url]) => (url ? urlSecretNames(url).map((name) => ({ name, path: `${prefix}.${key}` })) : []));
  return [...whole, ...inUrls];
}

// All secret references, from defaults and every containers entry.
export function collectSecretReferences(policy: Policy): SecretReference[] {
  return [
    ...fromSettings(policy.defaults, 'defaults'),
    ...Object.entries(policy.containers).flatMap(([pattern, entry]) => fromSettings(entry, `containers.${pattern}`)),
  ];
}
