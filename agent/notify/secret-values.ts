// Secret values for notification URLs, read fresh at each send (an edit needs no restart),
// and a scrubber that keeps every one of them out of bodies, errors and logs.
import { collectSecretReferences } from '../policy/references.js';
import type { Policy } from '../policy/schema.js';
import { resolveSecret } from '../policy/secrets.js';
import { readSecretValues, type SecretsReader } from '../policy/secrets-file.js';

// Looks secrets up and removes them from text.
export interface SecretLookup {
  // The value of secret NAME; throws a message naming only NAME when it is not set.
  value(name: string): string;
  scrub(text: string): string;
}

// Reads the policy's secrets file (missing is fine: then the environment only) with `read`
// (the agent passes its keeper of the last good secrets).
export async function loadSecretLookup(
  policy: Policy,
  env: NodeJS.ProcessEnv,
  read: SecretsReader = readSecretValues,
): Promise<SecretLookup> {
  const file = await read(policy.secrets_file);
  const source = { file, env };
  const value = (name: string): string => resolveSecret(`\${${name}}`, source, policy.secrets_file);
  // Every value the policy references; short values would mangle ordinary words, so only real secrets (>= 4 chars).
  const known = [...new Set(collectSecretReferences(policy).map((ref) => ref.name))]
    .map((name) => file.get(name) ?? env[name] ?? '')
    .filter((text) => text.length >= 4)
    .sort((a, b) => b.length - a.length);
  return { value, scrub: (text) => known.reduce((out, secret) => out.replaceAll(secret, '***'), text) };
}
