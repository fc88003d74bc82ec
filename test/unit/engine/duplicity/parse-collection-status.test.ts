import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCollectionStatus, summarizeChains } from '../../../../agent/engine/duplicity/parse-collection-status.js';

const fixture = (name: string): string => readFileSync(new URL(`../../../fixtures/duplicity/${name}`, import.meta.url), 'utf8');

// Captured with duplicity 0.8.22 (see fixtures/duplicity/0.8.22/capture.sh): full, inc, inc, full, inc.
const twoChains = {
  chains: [
    {
      kind: 'secondary',
      sets: [
        { type: 'full', time: '2026-11-28T15:24:03Z', volumes: 1 },
        { type: 'inc', time: '2026-11-28T15:24:05Z', volumes: 1 },
        { type: 'inc', time: '2026-11-28T15:24:07Z', volumes: 1 },
      ],
      startTime: '2026-11-28T15:24:03Z',
      endTime: '2026-11-28T15:24:07Z',
    },
    {
      kind: 'primary',
      sets: [
        { type: 'full', time: '2026-11-28T15:24:10Z', volumes: 1 },
        { type: 'inc', time: '2026-11-28T15:24:12Z', volumes: 1 },
      ],
      startTime: '2026-11-28T15:24:10Z',
      endTime: '2026-11-28T15:24:12Z',
    },
  ],
  orphanedOrIncomplete: 0,
  lastFull: '2026-11-28T15:24:10Z',
};

// A copy of that target with the first full's volume and the last inc's manifest deleted.
const broken = {
  chains: [
    {
      kind: 'secondary',
      sets: [
        { type: 'inc', time: '2026-11-28T15:24:05Z', volumes: 1 },
        { type: 'inc', time: '2026-11-28T15:24:07Z', volumes: 1 },
      ],
      startTime: '2026-11-28T15:24:05Z',
      endTime: '2026-11-28T15:24:07Z',
    },
    {
      kind: 'secondary',
      sets: [{ type: 'full', time: '2026-11-28T15:24:10Z', volumes: 1 }],
      startTime: '2026-11-28T15:24:10Z',
      endTime: '2026-11-28T15:24:10Z',
    },
  ],
  orphanedOrIncomplete: 1,
  lastFull: '2026-11-28T15:24:10Z',
};

// duplicity 3.0.x human text (dup_collections.py __str__ with "chain(s)"/"set(s)"), written by hand.
const human3 = `Last full backup date: Mon Mar  3 02:00:01 2025
Collection Status
-----------------
Connecting with backend: BackendWrapper
Archive dir: /var/lib/lxc-backup/cache/web1

Found 0 secondary backup chain(s).

Found primary backup chain with matching signature chain:
-------------------------
Chain start time: Mon Mar  3 02:00:01 2025
Chain end time: Tue Mar  4 02:00:09 2025
Number of contained backup sets: 2
Total number of contained volumes: 13
 Type of backup set:                            Time:      Num volumes:
                Full         Mon Mar  3 02:00:01 2025                12
         Incremental         Tue Mar  4 02:00:09 2025                 1
-------------------------
Also found 2 backup set(s) not part of any chain,
and 1 incomplete backup set(s).
These may be deleted by running duplicity with the "cleanup" command.
`;
const human3Parsed = {
  chains: [
    {
      kind: 'primary',
      sets: [
        { type: 'full', time: '2025-03-03T02:00:01Z', volumes: 12 },
        { type: 'inc', time: '2025-03-04T02:00:09Z', volumes: 1 },
      ],
      startTime: '2025-03-03T02:00:01Z',
      endTime: '2025-03-04T02:00:09Z',
    },
  ],
  orphanedOrIncomplete: 3,
  lastFull: '2025-03-03T02:00:01Z',
};

// duplicity 3.0.x machine log: log_util.PrintCollectionStatus logs at level 8, which
// logging.getLevelName() names "Level 8"; the control lines are unchanged from 0.8.22.
const machine3 = `NOTICE 1
. Last full backup date: Mon Mar  3 02:00:01 2025

Level 8 3 
backend BackendWrapper
archive-dir /var/lib/lxc-backup/cache/web1
chain-complete
 full 20250303T020001Z 12 enc
 inc 20250304T020009Z 1 enc
orphaned-sets-num 2
incomplete-sets-num 1
. Collection Status
. -----------------

`;

describe('parseCollectionStatus', () => {
  it.each([
    ['0.8.22 machine log, two chains', '0.8.22/noenc-status-utc.logfd', twoChains],
    [
      '0.8.22 machine log, encrypted',
      '0.8.22/enc-status-utc.logfd',
      {
        chains: [
          {
            ...twoChains.chains[0],
            sets: ['15:24:13', '15:24:18', '15:24:22'].map((t, i) => ({ type: i ? 'inc' : 'full', time: `2026-11-28T${t}Z`, volumes: 1 })),
            startTime: '2026-11-28T15:24:13Z',
            endTime: '2026-11-28T15:24:22Z',
          },
          {
            ...twoChains.chains[1],
            sets: ['15:24:27', '15:24:30'].map((t, i) => ({ type: i ? 'inc' : 'full', time: `2026-11-28T${t}Z`, volumes: 1 })),
            startTime: '2026-11-28T15:24:27Z',
            endTime: '2026-11-28T15:24:30Z',
          },
        ],
        orphanedOrIncomplete: 0,
        lastFull: '2026-11-28T15:24:27Z',
      },
    ],
    ['0.8.22 human text (TZ=UTC), two chains', '0.8.22/noenc-status-utc.stdout', twoChains],
    ['0.8.22 machine log, broken target', '0.8.22/broken-status-utc.logfd', broken],
    ['0.8.22 human text, broken target', '0.8.22/broken-status-utc.stdout', broken],
    ['0.8.22 machine log, empty target', '0.8.22/empty-status.logfd', { chains: [], orphanedOrIncomplete: 0 }],
    ['0.8.22 human text, empty target', '0.8.22/empty-status.stdout', { chains: [], orphanedOrIncomplete: 0 }],
  ])('%s', (_name, file, expected) => {
    expect(parseCollectionStatus(fixture(file))).toEqual(expected);
  });

  it.each([
    ['3.0.x human text', human3],
    ['3.0.x machine log with a "Level 8" record', machine3],
  ])('%s', (_name, text) => {
    expect(parseCollectionStatus(text)).toEqual(human3Parsed);
  });

  it('reads human ctime as UTC, so local-time output is off by the zone offset (why the runner sets TZ=UTC)', () => {
    // Captured with TZ=Europe/Berlin: the human text says 16:24, the machine log 15:24Z.
    const local = parseCollectionStatus(fixture('0.8.22/noenc-status.stdout'));
    expect(local.lastFull).toBe('2026-11-28T16:24:10Z');
  });

  it('rejects output without a collection status', () => {
    expect(() => parseCollectionStatus('Local and Remote metadata are synchronized, no sync needed.\n')).toThrow(
      /no "Collection Status" block/,
    );
  });
});

describe('summarizeChains', () => {
  it.each([
    [
      'primary chain is the active one',
      twoChains,
      { chains: 2, setsInActiveChain: 2, lastFull: '2026-11-28T15:24:10Z', lastBackup: '2026-11-28T15:24:12Z' },
    ],
    [
      'without a primary, the chain ending last',
      broken,
      { chains: 2, setsInActiveChain: 1, lastFull: '2026-11-28T15:24:10Z', lastBackup: '2026-11-28T15:24:10Z' },
    ],
    ['no chains', { chains: [], orphanedOrIncomplete: 0 }, { chains: 0, setsInActiveChain: 0 }],
  ])('%s', (_name, status, expected) => {
    expect(summarizeChains(status as Parameters<typeof summarizeChains>[0])).toEqual(expected);
  });
});
