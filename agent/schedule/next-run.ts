// Schedule maths per container: cron slot plus a deterministic per-name offset, so 200
// containers on one schedule do not all start in the same second.
import { nextCronSlot } from './cron.js';

const MAX_WINDOW_MS = 15 * 60_000;
// A fixed start for measuring a schedule's interval, so the window never depends on "now".
const REFERENCE = new Date('2001-01-01T00:00:00Z');

// 32-bit FNV-1a: stable across runs and machines (unlike a seeded hash).
function hashName(name: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(name, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

// The shortest gap between the first few slots of `expression` after a fixed date.
function shortestIntervalMs(expression: string): number {
  let shortest = Number.POSITIVE_INFINITY;
  let slot = nextCronSlot(expression, REFERENCE);
  for (let i = 0; slot && i < 8; i += 1) {
    const next = nextCronSlot(expression, slot);
    if (!next) break;
    shortest = Math.min(shortest, next.getTime() - slot.getTime());
    slot = next;
  }
  return Number.isFinite(shortest) ? shortest : MAX_WINDOW_MS * 4;
}

// The spread window of a schedule: at most 15 minutes and at most a quarter of its interval.
export function spreadWindowMs(expression: string): number {
  let window = windows.get(expression);
  if (window === undefined) {
    window = Math.min(MAX_WINDOW_MS, Math.floor(shortestIntervalMs(expression) / 4));
    windows.set(expression, window);
  }
  return window;
}

// Windows by expression: a policy has few distinct schedules and 200 containers share them.
const windows = new Map<string, number>();

// The container's fixed delay after each slot, in [0, window).
export function spreadOffsetMs(name: string, expression: string): number {
  const window = spreadWindowMs(expression);
  return window > 0 ? hashName(name) % window : 0;
}

// The container's first run strictly after `after` (slot + offset), or undefined if the schedule has none.
export function nextRunAfter(expression: string, name: string, after: Date): Date | undefined {
  const offset = spreadOffsetMs(name, expression);
  const slot = nextCronSlot(expression, new Date(after.getTime() - offset));
  return slot ? new Date(slot.getTime() + offset) : undefined;
}

// Whether a run was due between the last attempt and now (the agent was down at its slot).
export function missedRun(expression: string, name: string, lastAttempt: Date, now: Date): boolean {
  const due = nextRunAfter(expression, name, lastAttempt);
  return due !== undefined && due.getTime() <= now.getTime();
}
