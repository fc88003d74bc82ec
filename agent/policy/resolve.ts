// The effective settings of one container: defaults, then every matching `containers`
// entry from least to most specific.
//
// Precedence (documented in README): an exact name beats any glob; among globs, the one
// with more literal characters is more specific (`web-*` beats `w*`); on a tie the entry
// written later in the file wins. Nested mappings (retention, priority, credentials, s3,
// sftp, notify, hooks) merge key by key; every other value, lists included, is replaced whole.
import { globSpecificity, isGlob, matchesPattern } from './glob.js';
import type { Override, Policy, Settings } from './schema.js';
import { expandTarget } from './target.js';
// The policy's job slots, resolved against this machine (re-exported: the daemon resolves here).
export { jobSlots } from './concurrency.js';

const MERGED_KEYS = new Set(['retention', 'priority', 'credentials', 's3', 'sftp', 'notify', 'hooks', 'verify']);

export interface ContainerPolicy {
  name: string;
  settings: Settings;
  // The target with `{name}` expanded.
  target: string;
  // Where the settings came from, least specific first, e.g. ['defaults', 'containers.web-*'].
  sources: string[];
  // The `ignore` pattern that excludes this container, if any.
  ignoredBy?: string;
}

// The `containers` entries that apply to a name, in the order they are applied.
function matchingEntries(policy: Policy, name: string): Array<[string, Override]> {
  const entries = Object.entries(policy.containers);
  const globs = entries
    .map((entry, order) => ({ entry, order }))
    .filter(({ entry: [pattern] }) => isGlob(pattern) && matchesPattern(name, pattern))
    .sort((a, b) => globSpecificity(a.entry[0]) - globSpecificity(b.entry[0]) || a.order - b.order)
    .map(({ entry }) => entry);
  const exact = entries.filter(([pattern]) => !isGlob(pattern) && pattern === name);
  return [...globs, ...exact];
}

function applyOverride(settings: Settings, override: Override): Settings {
  const merged: Record<string, unknown> = { ...settings };
  for (const [key, value] of Object.entries(override)) {
    if (value === undefined) continue;
    merged[key] = MERGED_KEYS.has(key) ? { ...(merged[key] as object), ...(value as object) } : value;
  }
  return merged as Settings;
}

// The effective policy for the container `name`.
export function resolveContainer(policy: Policy, name: string): ContainerPolicy {
  let settings = policy.defaults;
  const sources = ['defaults'];
  for (const [pattern, override] of matchingEntries(policy, name)) {
    settings = applyOverride(settings, override);
    sources.push(`containers.${pattern}`);
  }
  const ignoredBy = policy.ignore.find((pattern) => matchesPattern(name, pattern));
  return { name, settings, target: expandTarget(settings.target, name), sources, ...(ignoredBy ? { ignoredBy } : {}) };
}
