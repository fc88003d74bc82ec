// A job's end as a history line: outcome word, set type, consistency mode and error, including
// fields outcomes carry (unchanged, consistency) when they are present.
import { describe, expect, it } from 'vitest';
import type { JobOutcome } from '../../../agent/core/job.js';
import { historyRecordOf } from '../../../agent/daemon/history-record.js';
import type { JobEnd } from '../../../agent/daemon/job-queue.js';

const AT = new Date('2030-01-02T03:04:05.000Z');
const end = (outcome: Partial<JobOutcome>, interrupted = false): JobEnd => ({
  outcome: { ok: true, durationMs: 1500, ...outcome },
  interrupted,
  timedOut: false,
  attempt: 1,
});

describe('historyRecordOf', () => {
  it('records a full backup from a chain with one set', () => {
    const chain = { chains: 1, setsInActiveChain: 1 };
    expect(historyRecordOf('backup', end({ bytes: 2048, chain }), AT)).toEqual({
      time: AT.toISOString(),
      action: 'backup',
      outcome: 'ok',
      duration_ms: 1500,
      bytes: 2048,
      set_type: 'full',
    });
  });

  it('records an incremental, a consistency mode and a full when the outcome has them', () => {
    const inc = historyRecordOf('backup', end({ chain: { chains: 1, setsInActiveChain: 3 }, consistency: { mode: 'freeze' } }), AT);
    expect(inc).toMatchObject({ set_type: 'inc', consistency: 'freeze' });
    expect(historyRecordOf('backup', end({ chain: { chains: 2, setsInActiveChain: 1 } }), AT).set_type).toBe('full');
  });

  it('records unchanged, interrupted and failed jobs', () => {
    expect(historyRecordOf('backup', end({ unchanged: true }), AT)).toMatchObject({ outcome: 'unchanged', set_type: 'unchanged' });
    expect(historyRecordOf('backup', end({}, true), AT).outcome).toBe('interrupted');
    const failed = historyRecordOf('prune', end({ ok: false, failure: { kind: 'permanent', message: `x${'y'.repeat(5000)}` } }), AT);
    expect(failed).toMatchObject({ action: 'prune', outcome: 'failed' });
    expect(failed.error?.length).toBe(1001);
    expect(failed.set_type).toBeUndefined();
  });

  it('takes actions it does not know yet (drill)', () => {
    expect(historyRecordOf('drill', end({}), AT)).toMatchObject({ action: 'drill', outcome: 'ok' });
  });
});
