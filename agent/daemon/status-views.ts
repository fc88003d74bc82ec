// The rows of `status` (pure): every known container except ignored ones, then those still
// settling, from the snapshot and what the queue, stale watch and scheduler say right now.
import { exclusionIn, type Known, knownNames } from './known.js';
import { settlingView } from './settling.js';
import type { ContainerView } from './status-report.js';
import type { DrillsOff } from './drill-plan.js';

// What the running parts say about one container at this moment.
export interface Live {
  running(name: string): boolean;
  // When a job waiting to retry (or for its target) is tried next.
  retryAt(name: string): Date | undefined;
  stale(name: string): boolean;
  // No successful restore drill within verify.max_age (drill-plan.ts).
  unverified?(name: string): boolean;
  // Why scheduled drills are off (drill-plan.ts), undefined when they run.
  drillsOff?(name: string): DrillsOff | undefined;
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
      ...drillsOffView(live, name),
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

// The view's drillsOff, only for a container whose scheduled drills are off.
function drillsOffView(live: Live, name: string): { drillsOff?: DrillsOff } {
  const off = live.drillsOff?.(name);
  return off ? { drillsOff: off } : {};
}
