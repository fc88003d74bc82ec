// The rows of `status` (pure): every known container except ignored ones, then those still
// settling, from the snapshot and what the queue, stale watch and scheduler say right now.
import { exclusionIn, type Known, knownNames } from './known.js';
import { settlingView } from './settling.js';
import type { ContainerView } from './status-report.js';

// What the running parts say about one container at this moment.
export interface Live {
  running(name: string): boolean;
  // When a job waiting to retry (or for its target) is tried next.
  retryAt(name: string): Date | undefined;
  stale(name: string): boolean;
  // No successful restore drill within verify.max_age (drill-plan.ts).
  unverified?(name: string): boolean;
  nextRun(name: string): Date | undefined;
  settling: Array<{ name: string; dueAt: Date }>;
}

// One view per listed container, known ones first.
export function containerViews(known: Known, live: Live): ContainerView[] {
  const views: ContainerView[] = [];
  for (const name of knownNames(known)) {
    const exclusion = exclusionIn(known, name);
    if (exclusion?.kind === 'hidden') continue;
    const nextRun = known.present.has(name) ? live.nextRun(name) : undefined;
    const retryAt = live.retryAt(name);
    views.push({
      name,
      record: known.records[name] ?? {},
      disabled: exclusion?.kind === 'disabled' || exclusion?.kind === 'self',
      ...(exclusion?.kind === 'unsupported' ? { unsupported: exclusion.reason } : {}),
      running: live.running(name),
      stale: live.stale(name),
      ...(live.unverified?.(name) ? { unverified: true } : {}),
      ...(nextRun ? { nextRun } : {}),
      ...(retryAt ? { retryAt } : {}),
    });
  }
  for (const { name, dueAt } of live.settling) {
    const view = settlingView(known, name, dueAt);
    if (view) views.push(view);
  }
  return views;
}
