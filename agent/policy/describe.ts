import { redactTarget } from './target.js';

// Short descriptions of what was found at a key, for the "got …" half of an error.
// Values under secret keys are never shown.

const SECRET_KEYS = new Set(['passphrase', 'sign_passphrase', 'password', 'aws_secret_access_key']);
// Notification URLs may hold a ping token or a ${NAME} reference: shown masked too.
const NOTIFY_URL_KEYS = new Set(['start', 'success', 'fail', 'webhook', 'ntfy']);

// Whether a key path leads to a value that may hold a secret.
export function isSecretPath(path: readonly PropertyKey[]): boolean {
  const last = path.at(-1);
  if (typeof last !== 'string') return false;
  return SECRET_KEYS.has(last) || (path.includes('notify') && NOTIFY_URL_KEYS.has(last));
}

// "got" wording for a raw YAML value at a path.
export function describeFound(value: unknown, path: readonly PropertyKey[]): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null (empty value)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (isSecretPath(path)) return typeof value === 'string' ? 'a literal value (not shown)' : `a ${typeof value}`;
  // A target URL may carry a password the user should not have written there.
  if (typeof value === 'string' && path.at(-1) === 'target') return JSON.stringify(redactTarget(value));
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'number') return `the number ${value}`;
  return String(value);
}

// The raw value at a key path of a parsed YAML document, or undefined.
export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key as string];
  }
  return node;
}
