// What the capture tools complain about on stderr, sorted as it streams in pieces: tolerated, too long, or real.
import { describe, expect, it } from 'vitest';
import { createStderrScanner } from '../../../../agent/engine/fidelity/tool-stderr.js';

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
