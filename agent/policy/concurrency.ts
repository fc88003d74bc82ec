// How many backups run at once: the policy's number, or for `auto` the machine's cores, at most
// AUTO_MAX and at least 1.
import { availableParallelism } from 'node:os';

// The ceiling of `auto`: past four lanes a backup host's disk and uplink, not its cores, limit
// (BENCHMARKS.md, "Concurrency auto"), and each lane holds a duplicity process (~60 MB).
export const AUTO_MAX = 4;

// The number of job slots for a policy's `concurrency` value.
export function jobSlots(concurrency: number | 'auto', cores: number = availableParallelism()): number {
  if (concurrency !== 'auto') return concurrency;
  return Math.min(AUTO_MAX, Math.max(1, cores));
}
