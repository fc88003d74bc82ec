import { describe, expect, it } from 'vitest';
import { encodeHardlinks, encodeSparse, isSparse, planFidelity } from '../../../../agent/engine/fidelity/parse-find-output.js';
import { decodeHardlinks, parseFindOutput, scanFindOutput } from '../../../support/find-output.js';
import { parseApplySummary } from '../../../../agent/engine/fidelity/apply.js';

// Builds find -printf output: `dev ino nlink size blocks mtime path\0`.
function rec(dev: number, ino: number, nlink: number, size: number, blocks: number, path: string | Buffer): Buffer {
  const p = typeof path === 'string' ? Buffer.from(path) : path;
  return Buffer.concat([Buffer.from(`${dev} ${ino} ${nlink} ${size} ${blocks} 1700000000.1234567890 `), p, Buffer.from([0])]);
}

describe('parseFindOutput', () => {
  it('parses fields and strips ./ while keeping odd names byte for byte', () => {
    const nonUtf8 = Buffer.from([0x2e, 0x2f, 0x72, 0xff, 0xfe]);
    const out = Buffer.concat([
      rec(1, 10, 1, 5, 8, './rootfs/a b'),
      rec(1, 11, 1, 5, 8, './rootfs/new\nline'),
      rec(1, 12, 1, 5, 8, './rootfs/-dash'),
      rec(1, 13, 1, 5, 8, './rootfs/ünï  two  spaces '),
      rec(1, 14, 1, 5, 8, nonUtf8),
    ]);
    const stats = parseFindOutput(out);
    expect(stats.map((s) => s.path.toString())).toEqual([
      'rootfs/a b',
      'rootfs/new\nline',
      'rootfs/-dash',
      'rootfs/ünï  two  spaces ',
      Buffer.from([0x72, 0xff, 0xfe]).toString(),
    ]);
    expect(stats[4]?.path).toEqual(Buffer.from([0x72, 0xff, 0xfe]));
    expect(stats[0]).toMatchObject({ dev: '1', ino: '10', nlink: 1, size: 5, blocks: 8, mtime: '1700000000.1234567890' });
  });

  it('returns nothing for empty output', () => {
    expect(parseFindOutput(Buffer.alloc(0))).toEqual([]);
  });

  it.each([
    ['missing NUL', Buffer.from('1 2 1 5 8 1.0 ./a')],
    ['too few fields', Buffer.from('1 2 1 5 ./a\0')],
    ['non-numeric field', Buffer.from('1 x 1 5 8 1.0 ./a\0')],
    ['empty path', Buffer.from('1 2 1 5 8 1.0 ./\0')],
  ])('rejects %s', (_name, out) => {
    expect(() => parseFindOutput(out)).toThrow(/find output: record at byte 0/);
  });
});

describe('planFidelity', () => {
  it('groups hard links by device and inode, dropping links whose partners are outside', () => {
    const stats = parseFindOutput(
      Buffer.concat([
        rec(1, 10, 3, 5, 8, './a'),
        rec(1, 20, 2, 5, 8, './lonely'),
        rec(1, 10, 3, 5, 8, './dir/b'),
        rec(2, 10, 2, 5, 8, './other-fs'),
        rec(1, 10, 3, 5, 8, './new\nline'),
        rec(1, 30, 1, 5, 8, './single'),
        rec(2, 10, 2, 5, 8, './other-fs-2'),
      ]),
    );
    const groups = planFidelity(stats).hardlinkGroups.map((g) => g.map((p) => p.toString()));
    expect(groups).toEqual([
      ['a', 'dir/b', 'new\nline'],
      ['other-fs', 'other-fs-2'],
    ]);
  });

  it('lists a sparse inode once with its mtime, ignoring block rounding and inline data', () => {
    const stats = parseFindOutput(
      Buffer.concat([
        rec(1, 1, 2, 64 << 20, 16, './sparse'),
        rec(1, 1, 2, 64 << 20, 16, './sparse-link'),
        rec(1, 2, 1, 5000, 16, './rounded-up'),
        rec(1, 3, 1, 60, 0, './inline-data'),
        rec(1, 4, 1, 8192, 8, './one-block-hole'),
        rec(1, 5, 1, 0, 0, './empty'),
      ]),
    );
    const plan = planFidelity(stats);
    expect(plan.sparse.map((s) => [s.path.toString(), s.mtime])).toEqual([
      ['sparse', '1700000000.1234567890'],
      ['one-block-hole', '1700000000.1234567890'],
    ]);
    expect(stats.filter(isSparse)).toHaveLength(3);
  });
});

describe('metadata encodings', () => {
  it('round-trips hard-link groups with empty-entry terminators', () => {
    const groups = [
      [Buffer.from('a'), Buffer.from('b\nc')],
      [Buffer.from('x y'), Buffer.from([0xff])],
    ];
    const enc = encodeHardlinks(groups);
    expect(enc.toString('latin1')).toBe('a\0b\nc\0\0x y\0\xff\0\0');
    expect(decodeHardlinks(enc)).toEqual(groups);
    expect(() => decodeHardlinks(Buffer.from('a\0b\0'))).toThrow(/not closed/);
  });

  it('writes sparse records as mtime NUL path NUL', () => {
    expect(encodeSparse([{ mtime: '1.5', path: Buffer.from('-d') }]).toString()).toBe('1.5\0-d\0');
  });

  it('parses the apply.sh summary line and rejects output without one', () => {
    expect(parseApplySummary('x\nsummary linked=2 sparse=1 xattr_files=9 skipped=3\n')).toEqual({
      linked: 2,
      sparse: 1,
      xattrFiles: 9,
      skipped: 3,
    });
    expect(() => parseApplySummary('nothing')).toThrow(/expected a "summary/);
  });
});

describe('parseFindOutput with onlyCandidates', () => {
  it('keeps only files with more than one link or with holes, and counts every record', () => {
    const out = Buffer.concat([
      rec(1, 10, 2, 5, 8, './linked'),
      rec(1, 11, 1, 5, 8, './plain'),
      rec(1, 12, 1, 64 << 20, 16, './holey'),
      rec(1, 13, 1, 5000, 16, './rounded-up'),
    ]);
    const kept = parseFindOutput(out, { onlyCandidates: true });
    expect(kept.map((s) => s.path.toString())).toEqual(['linked', 'holey']);
    expect(kept[1]).toMatchObject({ dev: '1', ino: '12', nlink: 1, size: 64 << 20, blocks: 16, mtime: '1700000000.1234567890' });
    expect(planFidelity(kept)).toEqual(planFidelity(parseFindOutput(out)));
    expect(scanFindOutput(out, { onlyCandidates: true })).toEqual({ records: kept, total: 4 });
    expect(scanFindOutput(Buffer.alloc(0))).toEqual({ records: [], total: 0 });
  });

  it.each([
    ['a leading dot in the mtime', Buffer.from('1 2 1 5 8 .5 ./a\0')],
    ['a trailing dot in the mtime', Buffer.from('1 2 1 5 8 5. ./a\0')],
    ['two dots in the mtime', Buffer.from('1 2 1 5 8 1.2.3 ./a\0')],
    ['a dot in the size', Buffer.from('1 2 1 5.0 8 1.0 ./a\0')],
    ['an empty field', Buffer.from('1 2  5 8 1.0 ./a\0')],
    ['an empty path', Buffer.from('1 2 1 5 8 1.0 ./\0')],
  ])('still rejects %s for a record it would skip', (_name, out) => {
    expect(() => parseFindOutput(out, { onlyCandidates: true })).toThrow(/find output: record at byte 0/);
  });
});
