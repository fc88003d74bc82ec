// What the daemon knows at one moment, as its pure decisions read it: the policy, the
// containers discovery sees and the records in state.
import type { ContainerInfo } from '../discovery/container-info.js';
import type { Policy } from '../policy/schema.js';
import { type Exclusion, exclusionOf } from './container-rules.js';
import type { ContainerRecord } from './state.js';

// A read-only snapshot handed to each decision.
export interface Known {
  policy: Policy;
  // This host's name: the container with this name or uts name is the agent's own.
  hostname: string;
  present: ReadonlyMap<string, ContainerInfo>;
  records: Readonly<Record<string, ContainerRecord>>;
}

// Every name the daemon knows: present on disk or remembered in state (orphans).
export function knownNames(known: Known): Set<string> {
  return new Set([...known.present.keys(), ...Object.keys(known.records)]);
}

// Why the container is left out under the snapshot's policy, or undefined when it is backed up.
export function exclusionIn(known: Known, name: string): Exclusion | undefined {
  return exclusionOf(known.policy, name, known.present.get(name), known.hostname);
}

// Whether the container is backed up at all: present and not excluded.
export function isEligible(known: Known, name: string): boolean {
  return known.present.has(name) && exclusionIn(known, name) === undefined;
}
