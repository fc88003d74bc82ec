// Restore progress: duplicity's info lines counted (never kept), and the two views: a line
// redrawn in place on a terminal, one plain line per phase otherwise.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { restoreProgressLines, withProgressLog, type RestoreProgress } from '../../../agent/engine/restore-progress.js';
import { createRestoreView, formatElapsed, formatProgress } from '../../../agent/cli/restore-progress-view.js';

afterEach(() => vi.useRealTimers());

describe('restoreProgressLines', () => {
  it('reports each volume with its total and counts written files', () => {
    const seen: RestoreProgress[] = [];
    const onLine = restoreProgressLines((p) => seen.push(p));
    for (const line of ['Writing etc/a of type reg', 'Processed volume 1 of 3', 'Writing etc/b of type reg', 'Processed volume 2 of 3'])
      onLine(line);
    expect(seen).toEqual([
      { phase: 'fetching', volumesDone: 1, volumesTotal: 3, files: 1 },
      { phase: 'fetching', volumesDone: 2, volumesTotal: 3, files: 2 },
    ]);
  });

  it.each([
    ['a guest file named like a volume line inside a Writing line', 'Writing Processed volume 9 of 9 of type reg'],
    ['a line with text around the volume message', 'x Processed volume 9 of 9'],
    ['a volume line without a total', 'Processed volume 9'],
    ['an empty line', ''],
  ])('does not report a volume for %s', (_, line) => {
    const seen: RestoreProgress[] = [];
    restoreProgressLines((p) => seen.push(p))(line);
    expect(seen).toEqual([]);
  });

  it('reports every 1000 files within a volume', () => {
    const seen: RestoreProgress[] = [];
    const onLine = restoreProgressLines((p) => seen.push(p));
    for (let i = 0; i < 2500; i += 1) onLine(`Writing f${i} of type reg`);
    expect(seen.map((p) => p.files)).toEqual([1000, 2000]);
  });

  it('raises only the verbosity of the command', () => {
    const command = { file: 'duplicity', args: ['restore', '--verbosity=notice', 'file:///t', '/d'], env: {} };
    expect(withProgressLog(command).args).toEqual(['restore', '--verbosity=info', 'file:///t', '/d']);
  });
});

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
