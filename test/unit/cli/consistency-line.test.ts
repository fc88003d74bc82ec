// The consistency line `lxc-backup backup` prints for each container.
import { describe, expect, it } from 'vitest';
import { consistencyLine } from '../../../agent/cli/consistency-line.js';

describe('the CLI line', () => {
  it('names mode, pause, hooks and the reason, escaped', () => {
    expect(consistencyLine({ mode: 'freeze', paused_ms: 120, hooks: [{ phase: 'pre', exit_code: 0, output: '' }] })).toBe(
      'consistency freeze (paused 120 ms; pre-backup hook exit 0)',
    );
    expect(consistencyLine({ mode: 'live', reason: 'host helper not available at /s\n' })).toBe(
      'consistency live: host helper not available at /s\\n',
    );
  });
});
