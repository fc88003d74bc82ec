import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFileList, unescapePython } from '../../../../agent/engine/duplicity/parse-file-list.js';

const fixture = (name: string): string => readFileSync(new URL(`../../../fixtures/duplicity/${name}`, import.meta.url), 'utf8');

// The tree from fixtures/duplicity/0.8.22/capture.sh, after the last incremental.
const T = (hms: string): string => `2026-11-28T${hms}Z`;
const expected = [
  { time: T('15:24:12'), path: '.', type: 'dir' },
  { time: T('15:24:12'), path: 'after-full2.txt', type: 'reg' },
  { time: T('15:24:03'), path: 'back\\slash', type: 'reg' },
  { time: T('15:24:03'), path: 'link', type: 'sym' },
  { time: T('15:24:03'), path: 'new\nline', type: 'reg' },
  { time: T('15:24:05'), path: 'plain.txt', type: 'reg' },
  { time: T('15:24:03'), path: 'quote\'s "dq"', type: 'reg' },
  { time: T('15:24:03'), path: 'sub dir', type: 'dir' },
  { time: T('15:24:03'), path: 'sub dir/  two  lead spaces ', type: 'reg' },
  { time: T('15:24:03'), path: 'tab\there', type: 'reg' },
  { time: T('15:24:07'), path: 'with space.txt', type: 'reg' },
  { time: T('15:24:03'), path: 'ünïcødé €.txt', type: 'reg' },
];

describe('parseFileList', () => {
  it('reads the 0.8.22 machine log exactly (the non-UTF-8 name is missing there: logging fails on it)', () => {
    expect(parseFileList(fixture('0.8.22/noenc-list-utc.logfd'))).toEqual(expected);
  });

  it('reads the 0.8.22 human text, joining the newline name and keeping the raw-byte name', () => {
    const human = expected.map(({ time, path }) => ({ time, path }));
    human.splice(3, 0, { time: T('15:24:03'), path: 'bad\uFFFD\uFFFDutf8' });
    expect(parseFileList(fixture('0.8.22/noenc-list-utc.stdout'))).toEqual(human);
  });

  it('reads a --time listing (the first full: no after-full2.txt, older times)', () => {
    const entries = parseFileList(fixture('0.8.22/noenc-list-time.logfd'));
    expect(entries.map((e) => e.path)).not.toContain('after-full2.txt');
    expect(entries.find((e) => e.path === 'plain.txt')).toEqual({ time: T('15:24:03'), path: 'plain.txt', type: 'reg' });
    expect(entries).toHaveLength(11);
  });

  it('reads a 3.0.x machine log (same INFO 10 record) and a day padded with a space in the human form', () => {
    const log = "INFO 10 20250304T020009Z 'rootfs/etc/h\\xf6st n\\u20ac' reg\n. Tue Mar  4 02:00:09 2025 rootfs/etc/höst n€\n\n";
    expect(parseFileList(log)).toEqual([{ time: '2025-03-04T02:00:09Z', path: 'rootfs/etc/höst n€', type: 'reg' }]);
    expect(parseFileList('Last full backup date: Mon Mar  3 02:00:01 2025\nTue Mar  4 02:00:09 2025 rootfs/etc\n')).toEqual([
      { time: '2025-03-04T02:00:09Z', path: 'rootfs/etc' },
    ]);
  });

  it('returns nothing when there are no entries', () => {
    expect(parseFileList('Local and Remote metadata are synchronized, no sync needed.\nLast full backup date: none\n')).toEqual([]);
  });
});

describe('unescapePython', () => {
  it.each([
    ['new\\nline', 'new\nline'],
    ['tab\\there', 'tab\there'],
    ['back\\\\slash', 'back\\slash'],
    ['quote\\x27s', "quote's"],
    ['\\xfc\\u20ac\\U0001f600', 'ü€😀'],
    ['bad\\udcff', 'bad\uFFFD'],
  ])('%s', (input, output) => {
    expect(unescapePython(input)).toBe(output);
  });
});
