// What a capture skipped, said in one line with escaped, shortened path examples.
import { describe, expect, it } from 'vitest';
import { describeSkipped, escapePathExample } from '../../../../agent/engine/fidelity/skipped.js';

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
