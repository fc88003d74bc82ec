// The `history` table: one row per job, guest-chosen text (errors) escaped.
import { describe, expect, it } from 'vitest';
import { formatHistory, historyCells } from '../../../agent/cli/history-format.js';

describe('formatHistory', () => {
  it('prints one row per job under the header', () => {
    const text = formatHistory('web', [
      { time: '2030-01-02T03:04:05Z', action: 'backup', outcome: 'ok', duration_ms: 90_000, bytes: 1536, set_type: 'full' },
      { time: '2030-01-03T03:04:05Z', action: 'backup', outcome: 'failed', duration_ms: 2000, error: 'no space\nsecond line' },
    ]);
    const lines = text.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^TIME +ACTION +OUTCOME +DURATION +WRITTEN +SET +MODE +ERROR$/);
    expect(lines[1]).toMatch(/backup +ok +1m30s +1\.5 KiB +full +-/);
    expect(lines[2]).toMatch(/failed +2 s +- +- +- +no space$/);
  });

  it('escapes control characters in errors and says when nothing is recorded', () => {
    expect(historyCells({ time: 'bad', action: 'backup', outcome: 'failed', error: 'a\u001b[31mb' })[0]).toBe('bad');
    expect(formatHistory('web', [{ time: 'x', action: 'backup', outcome: 'failed', error: 'a\u001b[31mb' }])).not.toContain('\u001b');
    expect(formatHistory('web', [])).toBe('web: no jobs recorded yet');
  });
});
