import { describe, expect, it } from 'vitest';
import format from '../../../agent/metrics/status-page.format.js.text.js';

interface Cell {
  text: string;
  title: string;
  cls?: string;
}
// The page's functions, as the browser gets them: plain script text, evaluated here.
const page = new Function(`${format}\nreturn { verified, consistencyMode };`)() as {
  verified(c: object): Cell;
  consistencyMode(c: object): Cell;
};
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

describe('status page cells', () => {
  it('VERIFIED reads as in the CLI: time of the newest passed drill, failed, off, or – before any', () => {
    const drill = { ok: true, at: ago(3_600_000), duration_ms: 1, sampled: 1, mismatches: 0 };
    expect(page.verified({ state: 'ok', last_verified: drill.at, last_drill: drill }).text).toBe('1 h ago');
    const failed = { ...drill, ok: false, examples: ['rootfs/etc/<b>'] };
    expect(page.verified({ state: 'ok', last_verified: drill.at, last_drill: failed })).toMatchObject({
      text: 'failed',
      cls: 'state-failing',
    });
    expect(page.verified({ state: 'ok', last_drill: failed }).title).toContain('rootfs/etc/<b>');
    const noKey = { cause: 'no_key', reason: 'encryption.mode is pubkey and verify.key_file is not set' };
    expect(page.verified({ state: 'ok', last_verified: null, last_drill: null, drills_off: noKey })).toEqual({
      text: 'off (no key)',
      title: noKey.reason,
      cls: 'muted',
    });
    expect(page.verified({ state: 'ok', last_verified: null, last_drill: null }).text).toBe('–');
    expect(page.verified({ state: 'unverified', last_verified: drill.at, last_drill: drill }).cls).toBe('state-stale');
  });

  it('Mode is the last backup consistency mode, its reason in the tooltip', () => {
    expect(page.consistencyMode({ consistency: { mode: 'live', reason: 'no freezer' } })).toEqual({ text: 'live', title: 'no freezer' });
    expect(page.consistencyMode({}).text).toBe('–');
  });
});
