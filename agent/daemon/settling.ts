// A container discovery has just seen (pure): whether its first backup follows at once once
// it has settled, and how status lists it while it settles.
import { nextRunAfter } from '../schedule/next-run.js';
import { exclusionOf, scheduleOf } from './container-rules.js';
import { isEligible, type Known } from './known.js';
import type { ContainerView } from './status-report.js';

// Whether a container that has just settled is backed up now (first_backup: immediate) rather than at its next slot.
export function backsUpOnArrival(known: Known, name: string): boolean {
  return known.policy.new_containers.first_backup === 'immediate' && isEligible(known, name);
}

// The status row of a container still settling (due to be taken on at `dueAt`), or undefined
// when it is already known or ignored; listed at once so a new container never looks missed.
export function settlingView(known: Known, name: string, dueAt: Date): ContainerView | undefined {
  const { policy } = known;
  const exclusion = exclusionOf(policy, name, undefined, known.hostname);
  if (known.present.has(name) || known.records[name] || exclusion?.kind === 'hidden') return undefined;
  const firstRun = policy.new_containers.first_backup === 'immediate' ? dueAt : nextRunAfter(scheduleOf(policy, name), name, dueAt);
  return {
    name,
    record: {},
    disabled: exclusion !== undefined,
    running: false,
    settling: exclusion === undefined,
    ...(exclusion || !firstRun ? {} : { nextRun: firstRun }),
  };
}
