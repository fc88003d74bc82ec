// How `lxc-backup backup` reports a backup's consistency: one line with the mode, the pause,
// why it fell back, and the exit code of each guest hook that ran.
import type { ConsistencyRecord } from '../core/job.js';
import { escapeControl } from '../core/escape-control.js';

// `consistency freeze (paused 120 ms; pre-backup hook exit 0)`, `consistency live: <reason>`.
export function consistencyLine(c: ConsistencyRecord): string {
  const facts = [
    ...(c.paused_ms !== undefined ? [`paused ${c.paused_ms} ms`] : []),
    ...(c.hooks ?? []).map((hook) => `${hook.phase}-backup hook exit ${hook.exit_code ?? 'none'}`),
  ];
  return `consistency ${c.mode}${facts.length ? ` (${facts.join('; ')})` : ''}${c.reason ? `: ${escapeControl(c.reason)}` : ''}`;
}
