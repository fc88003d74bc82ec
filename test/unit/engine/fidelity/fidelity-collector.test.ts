import { describe, expect, it } from 'vitest';
import { createFindCollector, PATH_MAX, type FindCollection } from '../../../../agent/engine/fidelity/fidelity-collector.js';
import { encodeHardlinks, encodeSparse, planFidelity } from '../../../../agent/engine/fidelity/parse-find-output.js';
import { scanFindOutput } from '../../../support/find-output.js';
import { createRecordSplitter } from '../../../../agent/engine/fidelity/record-splitter.js';

// Builds find -printf output: `dev ino nlink size blocks mtime path\0`.
function rec(dev: number, ino: number, nlink: number, size: number, blocks: number, path: string | Buffer): Buffer {
  const p = typeof path === 'string' ? Buffer.from(path) : path;
  return Buffer.concat([Buffer.from(`${dev} ${ino} ${nlink} ${size} ${blocks} 1700000000.1234567890 `), p, Buffer.from([0])]);
}

// A small tree's output: hard-link groups (one with an odd name), holes, plain files.
const SAMPLE = Buffer.concat([
  rec(1, 10, 3, 5, 8, './a'),
  rec(1, 20, 2, 5, 8, './lonely'),
  rec(1, 11, 1, 5, 8, './plain'),
  rec(1, 10, 3, 5, 8, './dir/b'),
  rec(1, 12, 2, 64 << 20, 16, './sparse'),
  rec(1, 10, 3, 5, 8, Buffer.from([0x2e, 0x2f, 0x6e, 0x0a, 0xff])),
  rec(1, 12, 2, 64 << 20, 16, './sparse-link'),
]);

function collect(chunks: Buffer[], budget?: number): FindCollection {
  const collector = createFindCollector(budget === undefined ? {} : { budget });
  for (const chunk of chunks) collector.write(chunk);
  return collector.finish();
}

// The same output cut into pieces at the given offsets.
function cut(buf: Buffer, ...at: number[]): Buffer[] {
  const edges = [0, ...at, buf.length];
  return edges.slice(1).map((end, i) => Buffer.from(buf.subarray(edges[i], end)));
}

describe('createFindCollector', () => {
  const whole = planFidelity(scanFindOutput(SAMPLE, { onlyCandidates: true }).records);

  it("gives planFidelity's plan, byte for byte, wherever a chunk boundary falls", () => {
    expect(whole.hardlinkGroups).toHaveLength(2);
    for (let at = 0; at <= SAMPLE.length; at++) {
      const found = collect(cut(SAMPLE, at));
      expect(found.total).toBe(7);
      expect(encodeHardlinks(found.plan.hardlinkGroups)).toEqual(encodeHardlinks(whole.hardlinkGroups));
      expect(encodeSparse(found.plan.sparse)).toEqual(encodeSparse(whole.sparse));
    }
  });

  it('gives the same plan from one-byte chunks and from two cuts at every pair of offsets in a record', () => {
    expect(collect(cut(SAMPLE, ...Array.from({ length: SAMPLE.length - 1 }, (_, i) => i + 1))).plan).toEqual(whole);
    for (let a = 1; a < 60; a++) for (let b = a; b < 60; b++) expect(collect(cut(SAMPLE, a, b)).plan).toEqual(whole);
  });

  it('keeps a path of PATH_MAX - 1 bytes and skips one of PATH_MAX, counting it', () => {
    const fits = `r/${'x'.repeat(PATH_MAX - 3)}`;
    const over = `r/${'y'.repeat(PATH_MAX - 2)}`;
    const found = collect([Buffer.concat([rec(1, 5, 2, 1, 8, `./${fits}`), rec(1, 5, 2, 1, 8, `./${over}`), rec(1, 5, 2, 1, 8, './z')])]);
    expect(found.plan.hardlinkGroups.map((g) => g.map((p) => p.length))).toEqual([[PATH_MAX - 1, 1]]);
    expect(found).toMatchObject({ total: 3, skipped: 1, examples: [`r/${'y'.repeat(22)}…${'y'.repeat(24)} (${PATH_MAX} bytes)`] });
  });

  it('drops a 600 KB record without holding it, whatever the chunk size, and goes on', () => {
    const huge = Buffer.concat([Buffer.from('./deep/'), Buffer.alloc(600_000, 0x64), Buffer.from('\n\\end')]);
    const out = Buffer.concat([rec(1, 1, 2, 5, 8, './a'), rec(1, 1, 2, 5, 8, huge), rec(1, 1, 2, 5, 8, './b')]);
    for (const size of [1000, 4096, 65_536, out.length]) {
      const chunks = Array.from({ length: Math.ceil(out.length / size) }, (_, i) => out.subarray(i * size, (i + 1) * size));
      const found = collect(chunks);
      expect(found.plan.hardlinkGroups.map((g) => g.map(String))).toEqual([['a', 'b']]);
      expect(found).toMatchObject({
        total: 3,
        skipped: 1,
        examples: [`deep/${'d'.repeat(19)}…${'d'.repeat(19)}\\x0a\\x5cend (600010 bytes)`],
      });
    }
  });

  it('fails the capture with a one-line message once the kept paths pass the budget', () => {
    const links = Buffer.concat(Array.from({ length: 200 }, (_, i) => rec(1, 7, 300, 5, 8, `./link-${i}`)));
    expect(() => collect([links], 10_000)).toThrow(/^more than 10000 bytes of hard-link and sparse-file paths \(\d+ files walked\)/);
    expect(collect([links], 1_000_000).plan.hardlinkGroups[0]).toHaveLength(200);
  });

  it.each([
    ['a missing NUL at the end', Buffer.from('1 2 1 5 8 1.0 ./a'), /not NUL-terminated/],
    ['too few fields', Buffer.from('1 2 1 5 8\0'), /record #1: has fewer than 7 fields/],
    ['a non-numeric field', Buffer.from('1 2 2 5 8 1.0 ./ok\0' + '1 x 1 5 8 1.0 ./a\0'), /record #2: expected numeric fields/],
    ['an empty path', Buffer.from('1 2 1 5 8 1.0 ./\0'), /record #1: has an empty path/],
    ['an unterminated over-long record', Buffer.alloc(PATH_MAX * 2, 0x61), /not NUL-terminated/],
  ])('rejects %s', (_name, out, message) => {
    expect(() => collect(cut(out, 3))).toThrow(message);
  });
});

describe('createRecordSplitter', () => {
  it('never hands on a record longer than its cap and reports the dropped ones with their size', () => {
    const seen: string[] = [];
    const splitter = createRecordSplitter(8, {
      record: (buf, start, end) => seen.push(buf.toString('latin1', start, end)),
      tooLong: (head, tail, length) => seen.push(`drop ${length} ${head.toString('latin1', 0, 3)}..${tail.toString('latin1').slice(-3)}`),
    });
    const input = Buffer.from(`short\0exactly8\0ninebytes\0${'z'.repeat(100)}END\0\0last\0`);
    for (let i = 0; i < input.length; i += 3) splitter.push(input.subarray(i, i + 3));
    splitter.end();
    expect(seen).toEqual(['short', 'exactly8', 'drop 9 nin..tes', 'drop 103 zzz..END', '', 'last']);
  });
});
