// Keeps each container's stale episode in its record: marks the start (and reports it once),
// clears it when a success (or an exclusion) ends it.
import type { Settings } from '../policy/schema.js';
import { maxAgeMs, staleReason, staleSince } from './staleness.js';
import type { ContainerRecord } from './state.js';

export interface StaleWatchOptions {
  names(): Iterable<string>;
  // Whether the container is backed up at all (present and not excluded).
  eligible(name: string): boolean;
  settings(name: string): Settings;
  record(name: string): ContainerRecord;
  update(name: string, record: ContainerRecord): void;
  now(): Date;
  // Called once when an episode starts.
  becameStale(name: string, reason: string, maxAgeMs: number): void;
  recovered(name: string): void;
}

export interface StaleWatch {
  // Whether the container is stale right now.
  isStale(name: string): boolean;
  // Brings one record's episode up to date; true when it changed.
  check(name: string): boolean;
  checkAll(): boolean;
  start(intervalMs: number, onChange: () => void): void;
  stop(): void;
}

// Creates the watch; nothing runs until start() (check() may be called before).
export function createStaleWatch(options: StaleWatchOptions): StaleWatch {
  let timer: NodeJS.Timeout | undefined;
  const maxAge = (name: string): number => maxAgeMs(options.settings(name));
  const isStale = (name: string): boolean =>
    options.eligible(name) && staleSince(options.record(name), maxAge(name), options.now()) !== undefined;

  const check = (name: string): boolean => {
    const record = options.record(name);
    const stale = isStale(name);
    if (stale && !record.stale_since) {
      options.update(name, { ...record, stale_since: options.now().toISOString() });
      options.becameStale(name, staleReason(record, maxAge(name)), maxAge(name));
      return true;
    }
    if (!stale && record.stale_since) {
      options.update(name, { ...record, stale_since: null });
      options.recovered(name);
      return true;
    }
    return false;
  };
  const checkAll = (): boolean => [...options.names()].map(check).some(Boolean);

  return {
    isStale,
    check,
    checkAll,
    start(intervalMs, onChange) {
      timer ??= setInterval(() => {
        if (checkAll()) onChange();
      }, intervalMs);
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
    },
  };
}
