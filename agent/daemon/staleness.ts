// Staleness (pure): a container is stale when it has no successful backup younger than its
// max_age, whatever the reason (failures, a stuck queue, the agent being down).
import { durationMsExact } from '../policy/duration.js';
import type { Settings } from '../policy/schema.js';
import { nextCronSlot } from '../schedule/cron.js';
import type { ContainerRecord } from './state.js';

const HOUR_MS = 3_600_000;
// A fixed start, so the derived max_age never depends on "now".
const REFERENCE = new Date('2001-01-01T00:00:00Z');
// Look a year ahead (a monthly or yearly schedule shows its gaps), sampling at most this many slots.
const HORIZON_MS = 366 * 24 * HOUR_MS;
const MAX_SLOTS = 2000;

const derived = new Map<string, number>();

// The default max_age of a schedule: its longest gap between two runs plus its shortest
// (one missed run tolerated: daily 48 h, hourly 2 h, weekdays-only 4 days), at least 1 h.
export function deriveMaxAgeMs(expression: string): number {
  const cached = derived.get(expression);
  if (cached !== undefined) return cached;
  let longest = 0;
  let shortest = Number.POSITIVE_INFINITY;
  let slot = nextCronSlot(expression, REFERENCE);
  for (let i = 0; slot && i < MAX_SLOTS && slot.getTime() - REFERENCE.getTime() < HORIZON_MS; i += 1) {
    const next = nextCronSlot(expression, slot);
    if (!next) break;
    const gap = next.getTime() - slot.getTime();
    longest = Math.max(longest, gap);
    shortest = Math.min(shortest, gap);
    slot = next;
  }
  // A schedule with fewer than two runs a year: fall back to a year so it is not stale at once.
  const maxAge = longest > 0 ? Math.max(HOUR_MS, longest + shortest) : HORIZON_MS;
  derived.set(expression, maxAge);
  return maxAge;
}

// The container's effective max_age in milliseconds (exact: an age is compared, never timed).
export function maxAgeMs(settings: Pick<Settings, 'max_age' | 'schedule'>): number {
  return settings.max_age === 'auto' ? deriveMaxAgeMs(settings.schedule) : durationMsExact(settings.max_age);
}

// Since when the container counts as stale at `now`, or undefined when it is not: the age is
// measured from the last success, or, for one never backed up, from when the agent first saw it.
export function staleSince(record: ContainerRecord, maxAge: number, now: Date): Date | undefined {
  const from = record.last_success ?? record.first_seen;
  if (!from) return undefined;
  const since = Date.parse(from) + maxAge;
  return Number.isFinite(since) && since <= now.getTime() ? new Date(since) : undefined;
}

// A short, secret-free reason for a stale notification.
export function staleReason(record: ContainerRecord, maxAge: number): string {
  const age = formatAge(maxAge);
  return record.last_success
    ? `no successful backup for longer than max_age (${age}); the last one was at ${record.last_success}`
    : `no successful backup ever, first seen at ${record.first_seen ?? 'unknown'}, max_age ${age}`;
}

// 48 h, 30 min or 3 s: the largest unit that reads well.
function formatAge(ms: number): string {
  const round = (value: number): number => Math.round(value * 10) / 10;
  if (ms >= HOUR_MS) return `${round(ms / HOUR_MS)} h`;
  if (ms >= 60_000) return `${round(ms / 60_000)} min`;
  return `${round(ms / 1000)} s`;
}
