// The two views of restore progress: a line redrawn in place on a terminal, one plain line per phase otherwise.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRestoreView, formatElapsed, formatProgress } from '../../../agent/cli/restore-progress-view.js';

afterEach(() => vi.useRealTimers());

describe('restore view', () => {
  it.each([
    [0, '0:00'],
    [42_500, '0:42'],
    [3_599_000, '59:59'],
    [3_600_000, '1:00:00'],
    [-5, '0:00'],
  ])('formatElapsed(%d) = %s', (ms, text) => expect(formatElapsed(ms)).toBe(text));

  it('formats phase, volumes of total, files and elapsed time', () => {
    expect(formatProgress('web', { phase: 'fetching', volumesDone: 3, volumesTotal: 12, files: 1200 }, 42_000)).toBe(
      'web: fetching, volume 3 of 12, 1200 files, 0:42',
    );
    expect(formatProgress('web', { phase: 'moving into place' }, 0)).toBe('web: moving into place, 0:00');
  });

  it('writes one plain line per phase when not on a terminal', () => {
    let text = '';
    const view = createRestoreView('web', { terminal: false, write: (t) => (text += t), now: () => 0 });
    view.update({ phase: 'fetching' });
    view.update({ phase: 'fetching', volumesDone: 1, volumesTotal: 2 });
    view.update({ phase: 'applying metadata' });
    view.update({ phase: 'moving into place' });
    view.close();
    expect(text).toBe('web: fetching, 0:00\nweb: applying metadata, 0:00\nweb: moving into place, 0:00\n');
  });

  it('redraws one line on a terminal, also while nothing new is reported, and ends it', () => {
    vi.useFakeTimers();
    let clock = 0;
    let text = '';
    const view = createRestoreView('web', { terminal: true, write: (t) => (text += t), now: () => clock, tickMs: 1000 });
    view.update({ phase: 'fetching', volumesDone: 1, volumesTotal: 4 });
    clock = 2000;
    vi.advanceTimersByTime(1000);
    view.close();
    expect(text).toBe('\r\x1b[Kweb: fetching, volume 1 of 4, 0:00\r\x1b[Kweb: fetching, volume 1 of 4, 0:02\n');
  });
});
