// A container's state record after a job starts and after each kind of outcome.
import { describe, expect, it } from 'vitest';
import { recordOutcome, recordStart } from '../../../agent/daemon/state.js';

describe('state records', () => {
  const at = new Date('2030-01-01T00:00:00.000Z');
  it('records success, failure and interruption', () => {
    let record = recordStart({}, 'backup', at);
    expect(record.last_attempt).toBe(at.toISOString());
    record = recordOutcome(record, 'backup', { ok: false, durationMs: 3, failure: { kind: 'transient', message: 'net down' } }, at, false);
    expect(record).toMatchObject({ last_failure: at.toISOString(), last_error: 'net down' });
    record = recordOutcome(record, 'backup', { ok: true, durationMs: 7, bytes: 99, chain: { chains: 1, setsInActiveChain: 2 } }, at, false);
    expect(record).toMatchObject({ last_success: at.toISOString(), last_error: null, bytes: 99, duration_ms: 7, chain: { chains: 1 } });
    expect(recordOutcome(record, 'backup', { ok: false, durationMs: 1 }, at, true)).toMatchObject({ interrupted: true, last_error: null });
    expect(
      recordOutcome(record, 'prune', { ok: false, durationMs: 1, failure: { kind: 'permanent', message: 'x' } }, at, false).last_error,
    ).toBe('prune: x');
  });
});
