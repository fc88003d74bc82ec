// Pure decisions about one container under a policy: whether and how it is backed up.
import type { ContainerInfo } from '../discovery/container-info.js';
import { isBackupContainer } from '../discovery/container-info.js';
import { durationMs, MAX_TIMER_MS } from '../policy/duration.js';
import { resolveContainer } from '../policy/resolve.js';
import type { Policy, Settings } from '../policy/schema.js';

// Why a present container is not backed up: 'hidden' (ignored: not even reported),
// 'self', 'disabled' or 'unsupported'; undefined when it is backed up.
export type Exclusion = { kind: 'hidden' | 'self' | 'disabled' } | { kind: 'unsupported'; reason: string };

// Whether and why a container is left out.
export function exclusionOf(policy: Policy, name: string, info: ContainerInfo | undefined, hostname: string): Exclusion | undefined {
  const resolved = resolveContainer(policy, name);
  if (resolved.ignoredBy) return { kind: 'hidden' };
  if (info && isBackupContainer(info, hostname)) return { kind: 'self' };
  if (!resolved.settings.enabled) return { kind: 'disabled' };
  if (info?.unsupported) return { kind: 'unsupported', reason: info.unsupported };
  return undefined;
}

// Whether the settings ask for any retention (then prune follows each successful backup).
export function hasRetention(settings: Settings): boolean {
  const { older_than, keep_full, keep_incrementals_of_full } = settings.retention;
  return older_than !== null || keep_full !== null || keep_incrementals_of_full !== null;
}

// How far past its own limits (capture_timeout, then timeout on duplicity) a job may run before
// the queue stops it: the engine owns the job timeout, this only frees a job stuck elsewhere.
export const SAFETY_MARGIN_MS = 5 * 60_000;

// The queue's safety-net limit for a container's job in milliseconds (capped for the timer).
export function safetyTimeoutMs(policy: Policy, name: string): number {
  const { timeout, capture_timeout } = resolveContainer(policy, name).settings;
  return Math.min(MAX_TIMER_MS, durationMs(timeout) + durationMs(capture_timeout) + SAFETY_MARGIN_MS);
}

// The container's cron schedule.
export function scheduleOf(policy: Policy, name: string): string {
  return resolveContainer(policy, name).settings.schedule;
}

// The names whose effective settings differ between two policies (for the reload log line).
export function changedContainers(before: Policy, after: Policy, names: Iterable<string>): string[] {
  const key = (policy: Policy, name: string): string => {
    const resolved = resolveContainer(policy, name);
    return JSON.stringify([resolved.settings, resolved.ignoredBy ?? null]);
  };
  return [...names].filter((name) => key(before, name) !== key(after, name)).sort();
}
