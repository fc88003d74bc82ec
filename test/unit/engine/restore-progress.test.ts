// Restore progress: duplicity's info lines counted (never kept), and the verbosity that makes duplicity print them.
import { describe, expect, it } from 'vitest';
import { restoreProgressLines, withProgressLog, type RestoreProgress } from '../../../agent/engine/restore-progress.js';

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
