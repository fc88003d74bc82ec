import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countDumpEntries } from '../../../../agent/engine/fidelity/count-dump-entries.js';
import { encodeHardlinks, encodeSparse } from '../../../../agent/engine/fidelity/parse-find-output.js';
import { describeSkipped, escapePathExample } from '../../../../agent/engine/fidelity/skipped.js';
import { createStderrScanner } from '../../../../agent/engine/fidelity/tool-stderr.js';
import { hardlinkPieces, sparsePieces, writePieces } from '../../../../agent/engine/fidelity/write-nul-file.js';
import { makeTempDir, removeDir } from '../../../support/temp.js';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir('capture-streams');
});
afterEach(async () => {
  await removeDir(dir);
});

// Feeds `text` to a scanner in pieces of `size` bytes.
function scan(text: Buffer, size: number): ReturnType<ReturnType<typeof createStderrScanner>['end']> {
  const scanner = createStderrScanner('getfattr');
  for (let i = 0; i < text.length; i += size) scanner.push(text.subarray(i, i + size));
  return scanner.end();
}

describe('createStderrScanner', () => {
  const segment = `./rootfs/${'d'.repeat(255)}/`;
  const deep = `${segment.repeat(20)}last`;
  const lines = Buffer.from(
    [
      `getfattr: ${deep}: File name too long`,
      'getfattr: ./rootfs/gone: No such file or directory',
      `getfattr: ./rootfs/${'n'.repeat(200_000)}: File name too long`,
      'getfattr: ./rootfs/locked: Permission denied',
      `getfattr: ./rootfs/${'m'.repeat(100_000)}: Input/output error`,
      '',
    ].join('\n'),
  );

  it.each([1, 7, 4096, lines.length])('sorts lines into tolerated and real complaints (chunks of %i bytes)', (size) => {
    const summary = scan(lines, size);
    expect(summary).toMatchObject({ vanished: 1, tooLong: 2, other: 2, firstOther: 'getfattr: ./rootfs/locked: Permission denied' });
    expect(summary.tooLongExamples).toEqual([
      `rootfs/${'d'.repeat(17)}…${'d'.repeat(19)}/last (${deep.length - 2} bytes)`,
      `rootfs/${'n'.repeat(17)}…${'n'.repeat(24)} (200007 bytes)`,
    ]);
  });

  it('keeps only the ends of a long unexpected line, escaped', () => {
    const summary = scan(Buffer.from(`getfattr: \x1b[31m${'m'.repeat(100_000)}: Input/output error\n`), 999);
    expect(summary.other).toBe(1);
    expect(summary.firstOther).toMatch(/^getfattr: \\x1b\[31mm+…m+: Input\/output error$/);
    expect(summary.firstOther!.length).toBeLessThan(250);
  });
});

describe('countDumpEntries', () => {
  it.each([1, 2, 3, 5, 8, 9, 64 * 1024])('counts "# file:" headers split at any byte (reads of %i bytes)', async (chunk) => {
    const dump = '# file: rootfs\nuser.a=0x31\n\n# file: rootfs/x\\012# file: y\nuser.b=0x32\n\n# file: z\nuser.c=0x23\n';
    const path = join(dir, 'xattrs.dump');
    await writeFile(path, dump);
    expect(await countDumpEntries(path, chunk)).toBe(3);
  });

  it('counts nothing in an empty dump', async () => {
    await writeFile(join(dir, 'empty'), '');
    expect(await countDumpEntries(join(dir, 'empty'))).toBe(0);
  });
});

describe('writePieces', () => {
  it('writes hardlinks.nul and sparse.nul byte for byte as the encoders do, across batches', async () => {
    const groups = Array.from({ length: 3000 }, (_, i) => [Buffer.from(`a/${i}\nx`), Buffer.from([0xff, i & 0xff]), Buffer.from(`b ${i}`)]);
    const sparse = Array.from({ length: 3000 }, (_, i) => ({ mtime: `17000000${i}.5`, path: Buffer.from(`s/${i}`) }));
    await writePieces(join(dir, 'h'), hardlinkPieces(groups), 0o600);
    await writePieces(join(dir, 's'), sparsePieces(sparse), 0o600);
    await writePieces(join(dir, 'e'), hardlinkPieces([]), 0o600);
    expect(await readFile(join(dir, 'h'))).toEqual(encodeHardlinks(groups));
    expect(await readFile(join(dir, 's'))).toEqual(encodeSparse(sparse));
    expect(await readFile(join(dir, 'e'))).toEqual(Buffer.alloc(0));
  });
});

describe('escapePathExample', () => {
  it.each([
    ['plain', Buffer.from('rootfs/etc/passwd'), 'rootfs/etc/passwd'],
    ['control and non-UTF-8 bytes', Buffer.from([0x61, 0x0a, 0x1b, 0xff, 0x5c, 0x20]), 'a\\x0a\\x1b\\xff\\x5c\\x20'],
    ['a long path', Buffer.from('x'.repeat(30) + 'y'.repeat(30)), `${'x'.repeat(24)}…${'y'.repeat(24)} (60 bytes)`],
  ])('escapes %s', (_name, path, expected) => {
    expect(escapePathExample(path)).toBe(expected);
  });

  it('says what was skipped in one line', () => {
    expect(describeSkipped({ files: 2, xattrPaths: 1, examples: ['a', 'b'] })).toBe(
      'skipped 2 files and xattrs below 1 paths: path longer than PATH_MAX (4096 bytes); e.g. a, b',
    );
  });
});
