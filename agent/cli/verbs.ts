// Every CLI verb, in the order `--help` lists them.
import { policyCheckVerb } from './policy-check.js';
import { policyShowVerb } from './policy-show.js';
import type { Verb } from './verb.js';

export const VERBS: readonly Verb[] = [policyCheckVerb, policyShowVerb];
