// When drills run and when a container counts as unverified (pure). Drills of containers with
// the same `verify.every` are spread over a window (at most 15 min, at most a quarter of the
// interval) by a fixed per-name offset, like backups.
import { createHash } from 'node:crypto';
import { durationMsExact } from '../policy/duration.js';
import type { Settings } from '../policy/schema.js';
import type { ContainerRecord } from './state.js';

const MAX_WINDOW_MS = 15 * 60_000;

// What the drill plan reads of a container's settings; without `encryption`, drills are
// decided by `verify` alone.
export type DrillSettings = Pick<Settings, 'verify'> & { encryption?: Settings['encryption'] };

// Why scheduled drills are off, as status reports it (`cause` for the table, `reason` for --json).
export interface DrillsOff {
  cause: 'no_key' | 'every_null';
  reason: string;
}

// Whether scheduled drills are off for the container, and why: `verify.every: null`, or pubkey
// mode without `verify.key_file` (a drill must decrypt, and this host holds only the public key).
export function drillsOff(settings: DrillSettings): DrillsOff | undefined {
  if (settings.verify.every === null) return { cause: 'every_null', reason: 'verify.every is null' };
  if (settings.encryption?.mode === 'pubkey' && settings.verify.key_file === null) {
    return {
      cause: 'no_key',
      reason:
        'encryption.mode is pubkey and verify.key_file is not set: a drill must decrypt, and this host holds only the public key ' +
        '(set verify.key_file to a private key left for drills, or run lxc-backup drill NAME --key FILE by hand)',
    };
  }
  return undefined;
}

// The interval of a container's drills, or undefined when drills are off (drillsOff).
export function drillEveryMs(settings: DrillSettings): number | undefined {
  const every = settings.verify.every;
  return every === null || drillsOff(settings) ? undefined : Math.max(1000, durationMsExact(every));
}

// How long a successful drill counts: verify.max_age, auto = 2 × every.
export function drillMaxAgeMs(settings: DrillSettings): number | undefined {
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
export function drillDueAt(name: string, settings: DrillSettings, record: ContainerRecord): Date | undefined {
  const every = drillEveryMs(settings);
  if (every === undefined || !record.last_success) return undefined;
  const from = record.last_drill?.at ?? record.last_success;
  return nextDrillAfter(name, every, new Date(from));
}

// Whether the container has no successful drill within max_age at `now` (counted from when the
// agent first saw it until its first drill); never while drills are off or before a first backup.
export function isUnverified(settings: DrillSettings, record: ContainerRecord, now: Date): boolean {
  const maxAge = drillMaxAgeMs(settings);
  const from = record.last_verified ?? record.first_seen ?? record.last_success;
  if (maxAge === undefined || !record.last_success || !from) return false;
  return now.getTime() - Date.parse(from) > maxAge;
}
