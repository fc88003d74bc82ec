// Which containers a run over "all" covers, and why the others are left out.
import { hostname } from 'node:os';
import type { ContainerInfo } from '../discovery/container-info.js';
import { resolveContainer } from '../policy/resolve.js';
import type { Policy } from '../policy/schema.js';

export type SkipReason = 'ignored' | 'disabled' | 'unsupported' | 'self';

export interface Selection {
  eligible: ContainerInfo[];
  skipped: Array<{ info: ContainerInfo; reason: SkipReason; detail: string }>;
}

// Whether a container is the backup container itself (it never backs itself up).
export function isSelf(info: ContainerInfo, ownHostname: string): boolean {
  return info.name === ownHostname || info.utsName === ownHostname;
}

// Splits discovered containers into those to back up and those skipped, with reasons.
export function selectContainers(policy: Policy, infos: readonly ContainerInfo[], ownHostname = hostname()): Selection {
  const selection: Selection = { eligible: [], skipped: [] };
  for (const info of infos) {
    const resolved = resolveContainer(policy, info.name);
    if (resolved.ignoredBy) selection.skipped.push({ info, reason: 'ignored', detail: `matches ignore pattern ${resolved.ignoredBy}` });
    else if (isSelf(info, ownHostname)) selection.skipped.push({ info, reason: 'self', detail: 'the backup container itself' });
    else if (!resolved.settings.enabled) selection.skipped.push({ info, reason: 'disabled', detail: 'enabled: false' });
    else if (info.unsupported) selection.skipped.push({ info, reason: 'unsupported', detail: info.unsupported });
    else selection.eligible.push(info);
  }
  return selection;
}
