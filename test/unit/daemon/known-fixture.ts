// Snapshots for the daemon's pure decisions: a policy from YAML lines, containers on disk, records in state.
import type { ContainerInfo } from '../../../agent/discovery/container-info.js';
import type { Known } from '../../../agent/daemon/known.js';
import type { ContainerRecord } from '../../../agent/daemon/state.js';
import { parsePolicy } from '../../../agent/policy/parse.js';
import type { Policy } from '../../../agent/policy/schema.js';

// A valid policy: daily at 03:00, no retention unless `extra` sets it, plus `extra` top-level lines.
export function policyWith(extra = ''): Policy {
  const text = `version: 1\nhost_root: /h\nstate_dir: /s\ndefaults: { schedule: "0 3 * * *", encryption: { mode: none }, retention: { older_than: null } }\n${extra}`;
  const result = parsePolicy(text, 'policy.yaml');
  if (!result.policy) throw new Error(result.problems.map((p) => p.message).join('; '));
  return result.policy;
}

// A snapshot with these containers on disk (a name, or a name with an unsupported reason) and these records.
export function knownWith(
  policy: Policy,
  present: Array<string | { name: string; unsupported: string }>,
  records: Record<string, ContainerRecord> = {},
): Known {
  const infos = present.map((entry): ContainerInfo => {
    const { name, unsupported } = typeof entry === 'string' ? { name: entry, unsupported: undefined } : entry;
    return { name, dir: `/h/${name}`, idmaps: [], ...(unsupported ? { unsupported } : {}) };
  });
  return { policy, hostname: 'backup', present: new Map(infos.map((info) => [info.name, info])), records };
}
