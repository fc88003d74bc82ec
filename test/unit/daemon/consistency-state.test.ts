// Where a backup's consistency goes once the job ends: state.json (without the hooks' output),
// the job-end log line, status (--json and the table), the notification.
import { describe, expect, it } from 'vitest';
import { statusCells } from '../../../agent/cli/status-format.js';
import { statusReportSchema } from '../../../agent/control/status-schema.js';
import type { JobOutcome } from '../../../agent/core/job.js';
import { jobEndFields } from '../../../agent/daemon/job-log.js';
import { recordOutcome } from '../../../agent/daemon/state.js';
import { buildStatus } from '../../../agent/daemon/status-report.js';
import { notifyEventOf } from '../../../agent/notify/event.js';
import { describeEvent } from '../../../agent/notify/payloads.js';

const at = new Date('2030-01-01T00:00:00.000Z');
const outcome: JobOutcome = {
  ok: true,
  durationMs: 4000,
  bytes: 100,
  consistency: {
    mode: 'live',
    reason: 'host helper not available at /s: ENOENT',
    paused_ms: 30_000,
    hooks: [{ phase: 'pre', exit_code: 0, output: 'dumped\n' }],
  },
};
const end = { outcome, interrupted: false, timedOut: false, attempt: 1 };

describe('a backup outcome with its consistency', () => {
  it('state.json keeps mode, reason and pause of the last success, not the hooks', () => {
    const record = recordOutcome({}, 'backup', outcome, at, false);
    expect(record.consistency).toEqual({ mode: 'live', reason: 'host helper not available at /s: ENOENT', paused_ms: 30_000 });
    const failed = recordOutcome(record, 'backup', { ok: false, durationMs: 1, failure: { kind: 'permanent', message: 'x' } }, at, false);
    expect(failed.consistency).toEqual(record.consistency);
    expect(recordOutcome({}, 'backup', { ok: true, durationMs: 1 }, at, false).consistency).toBeUndefined();
  });

  it('the job-end log line has mode, reason, pause and hooks', () => {
    expect(jobEndFields('web', 'backup', end)).toMatchObject({
      consistency: 'live',
      consistency_reason: 'host helper not available at /s: ENOENT',
      paused_ms: 30_000,
      hooks: [{ phase: 'pre', exit_code: 0, output: 'dumped\n' }],
    });
    expect(jobEndFields('web', 'backup', { ...end, outcome: { ok: true, durationMs: 1 } })).not.toHaveProperty('consistency');
  });

  it('status --json carries it and passes the reply schema; the table shows the mode after the last success', () => {
    const record = recordOutcome({}, 'backup', outcome, at, false);
    const report = buildStatus('p.yaml', [], [{ name: 'web', record, disabled: false, running: false }]);
    expect(report.containers[0]?.consistency).toEqual(record.consistency);
    expect(statusReportSchema.parse(report)).toEqual(report);
    expect(statusCells(report.containers[0]!, { now: new Date(at.getTime() + 3_600_000), localTime: false })[2]).toBe('1 h ago (live)');
  });

  it('the notification names the mode and why it fell back', () => {
    const event = notifyEventOf({ type: 'job-end', container: 'web', action: 'backup', end, at }, 'host');
    expect(event?.consistency).toEqual({ mode: 'live', reason: 'host helper not available at /s: ENOENT' });
    expect(describeEvent(event!)).toBe('backup of web succeeded on host (4 s, 100 bytes, live: host helper not available at /s: ENOENT)');
  });
});
