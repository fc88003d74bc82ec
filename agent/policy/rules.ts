// Checks that span several keys, run after the schema accepted each key on its own.
import { isGlob } from './glob.js';
import type { Policy } from './schema.js';

// A rule finding: where, and what was expected instead.
export interface RuleFinding {
  path: PropertyKey[];
  expected: string;
}

type Rule = (policy: Policy) => RuleFinding[];

// A target used by more than one container must separate them, or their chains would mix.
const sharedTargetsNameEachContainer: Rule = (policy) => {
  const findings: RuleFinding[] = [];
  const expected = 'expected {name} in a target that several containers share (each container needs its own chain)';
  if (!policy.defaults.target.includes('{name}')) findings.push({ path: ['defaults', 'target'], expected });
  for (const [pattern, entry] of Object.entries(policy.containers)) {
    if (isGlob(pattern) && entry.target !== undefined && !entry.target.includes('{name}')) {
      findings.push({ path: ['containers', pattern, 'target'], expected });
    }
  }
  return findings;
};

// A signing passphrase only means something with a signing key.
const signPassphraseNeedsKey: Rule = (policy) => {
  const findings: RuleFinding[] = [];
  const check = (encryption: Policy['defaults']['encryption'] | undefined, path: PropertyKey[]) => {
    if (encryption?.mode === 'pubkey' && encryption.sign_passphrase && !encryption.sign_key) {
      findings.push({ path: [...path, 'sign_passphrase'], expected: 'expected sign_key next to sign_passphrase' });
    }
  };
  check(policy.defaults.encryption, ['defaults', 'encryption']);
  for (const [pattern, entry] of Object.entries(policy.containers)) check(entry.encryption, ['containers', pattern, 'encryption']);
  return findings;
};

const RULES: Rule[] = [sharedTargetsNameEachContainer, signPassphraseNeedsKey];

// Every cross-key finding for a schema-valid policy.
export function checkRules(policy: Policy): RuleFinding[] {
  return RULES.flatMap((rule) => rule(policy));
}
