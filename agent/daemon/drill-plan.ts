// When drills run and when a container counts as unverified (pure). Drills of containers with
// the same `verify.every` are spread over a window (at most 15 min, at most a quarter of the
// interval) by a fixed per-name offset, like backups.
import { createHash } from 'node:crypto';
import { durationMsExact } from '../policy/duration.js';
import type { Settings } from '../policy/schema.js';
import type { ContainerRecord } from './state.js';

const MAX_WINDOW_MS = 15 * 60_000;

// The interval of a container's drills, or undefined when drills are off (verify.every: null).
export function drillEveryMs(settings: Pick<Settings, 'verify'>): number | undefined {
  const every = settings.verify.every;
  return every === null ? undefined : Math.max(1000, durationMsExact(every));
}

// How long a successful drill counts: verify.max_age, auto = 2 × every.
export function drillMaxAgeMs(settings: Pick<Settings, 'verify'>): number | undefined {
  const every = drillEveryMs(settings);
  if (every === undefined) return undefined;
  return settings.verify.max_age === 'auto' ? 2 * every : durationMsExact(settings.verify.max_age);
}

// The container's fixed offset into each interval, in [0, window).
export function drillOffsetMs(name: string, everyMs: number): number {
  const window = Math.min(MAX_WINDOW_MS, Math.floor(everyMs / 4));
  return window > 0 ? createHash('sha256').update(name).digest().readUInt32BE(0) % window : 0;
}

// The first drill slot strictly after `after`: the grid of `everyMs` from the epoch, plus the offset.
export function nextDrillAfter(name: string, everyMs: number, after: Date): Date {
  const offset = drillOffsetMs(name, everyMs);
  const slots = Math.floor((after.getTime() - offset) / everyMs) + 1;
  return new Date(slots * everyMs + offset);
}

// When the container's next drill is due, or undefined when none is (drills off, no backup yet).
export function drillDueAt(name: string, settings: Pick<Settings, 'verify'>, record: ContainerRecord): Date | undefined {
  const every = drillEveryMs(settings);
  if (every === undefined || !record.last_success) return undefined;
  const from = record.last_drill?.at ?? record.last_success;
  return nextDrillAfter(name, every, new Date(from));
}

// Whether the container has no successful drill within max_age at `now` (counted from when the
// agent first saw it until its first drill); never while drills are off or before a first backup.
export function isUnverified(settings: Pick<Settings, 'verify'>, record: ContainerRecord, now: Date): boolean {
  const maxAge = drillMaxAgeMs(settings);
  const from = record.last_verified ?? record.first_seen ?? record.last_success;
  if (maxAge === undefined || !record.last_success || !from) return false;
  return now.getTime() - Date.parse(from) > maxAge;
}
