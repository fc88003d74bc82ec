// Chain summaries from the archive dir's file names match what collection-status reports.
import { describe, expect, it } from 'vitest';
import { collectionFromArchiveNames } from '../../../../agent/engine/duplicity/parse-archive-names.js';
import { summarizeChains } from '../../../../agent/engine/duplicity/parse-collection-status.js';

// A real archive dir after full, incremental, full (duplicity 0.8.22).
const NAMES = [
  'duplicity-full-signatures.20261128T162848Z.sigtar.gz',
  'duplicity-full-signatures.20261128T162853Z.sigtar.gz',
  'duplicity-full.20261128T162848Z.manifest',
  'duplicity-full.20261128T162853Z.manifest',
  'duplicity-inc.20261128T162848Z.to.20261128T162850Z.manifest',
  'duplicity-new-signatures.20261128T162848Z.to.20261128T162850Z.sigtar.gz',
  'duplicity-inc.20261128T162853Z.to.20261128T170000Z.manifest.part',
  'lockfile',
];

describe('collectionFromArchiveNames', () => {
  it('groups incrementals under their full and ignores partial files', () => {
    const status = collectionFromArchiveNames(NAMES);
    expect(status.chains).toEqual([
      {
        kind: 'secondary',
        sets: [
          { type: 'full', time: '2026-11-28T16:28:48Z', volumes: 0 },
          { type: 'inc', time: '2026-11-28T16:28:50Z', volumes: 0 },
        ],
        startTime: '2026-11-28T16:28:48Z',
        endTime: '2026-11-28T16:28:50Z',
      },
      {
        kind: 'primary',
        sets: [{ type: 'full', time: '2026-11-28T16:28:53Z', volumes: 0 }],
        startTime: '2026-11-28T16:28:53Z',
        endTime: '2026-11-28T16:28:53Z',
      },
    ]);
    expect(summarizeChains(status)).toEqual({
      chains: 2,
      setsInActiveChain: 1,
      lastFull: '2026-11-28T16:28:53Z',
      lastBackup: '2026-11-28T16:28:53Z',
    });
  });

  it('finds nothing in an empty or foreign directory', () => {
    expect(collectionFromArchiveNames([]).chains).toEqual([]);
    expect(collectionFromArchiveNames(['lockfile', 'duplicity-full.garbage.manifest']).chains).toEqual([]);
  });
});
