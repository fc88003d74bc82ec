// The manifest's fields read byte by byte from a capture walk record.
import { describe, expect, it } from 'vitest';
import { parseManifestFields } from '../../../../agent/engine/drill/manifest-record.js';

const parse = (record: string | Buffer) => {
  const buf = typeof record === 'string' ? Buffer.from(record, 'latin1') : record;
  const f = parseManifestFields(buf, 0, buf.length, '#1');
  return { ...f, path: buf.toString('latin1', f.pathStart) };
};

describe('parseManifestFields', () => {
  it('reads type, octal mode, owner, size, whole mtime seconds and the path without ./', () => {
    expect(parse('f 1700000001.5 4755 1000 100 2049 77 1 12345 24 1700000000.9999999999 ./rootfs/usr/bin/su')).toEqual({
      type: 'f',
      mode: 0o4755,
      uid: 1000,
      gid: 100,
      size: 12345,
      mtime: 1700000000,
      pathStart: 72,
      path: 'rootfs/usr/bin/su',
    });
  });

  it('rounds a negative mtime down as Math.floor does, and keeps spaces and odd bytes in the path', () => {
    expect(parse('l 1.0 777 0 0 1 2 1 7 0 -1.5000000000 ./a b\n\xff').mtime).toBe(-2);
    expect(parse('l 1.0 777 0 0 1 2 1 7 0 -1.5000000000 ./a b\n\xff').path).toBe('a b\n\xff');
    expect(parse('d 1.0 755 0 0 1 2 1 7 0 -3.0000000000 ./d').mtime).toBe(-3);
    expect(parse('d 1.0 755 0 0 1 2 1 7 0 42 ./d').mtime).toBe(42);
  });

  it('reads the root as `.`', () => {
    expect(parse('d 1.0 755 0 0 1 2 1 7 0 5.0 .').path).toBe('.');
  });

  it('names the record and what it expected when a field is not what the walk prints', () => {
    expect(() => parse('f 1.0 798 0 0 1 2 1 7 0 5.0 ./x')).toThrow(/walk record #1: expected octal permission bits, got "f 1.0 798/);
    expect(() => parse('f 1.0 644 root 0 1 2 1 7 0 5.0 ./x')).toThrow(/expected a numeric uid/);
    expect(() => parse('f 1.0 644 0 0 1 2 1 -7 0 5.0 ./x')).toThrow(/expected a size/);
    expect(() => parse('f 1.0 644 0 0 1 2 1 7 0 5.x ./x')).toThrow(/expected an mtime/);
    expect(() => parse('f 1.0 644 0 0 1 2 1 7 0 5.0 ')).toThrow(/expected a path/);
    expect(() => parse('f 1.0 644 0 0 1 2')).toThrow(/expected/);
    expect(() => parse('1 1.0 644 0 0 1 2 1 7 0 5.0 ./x')).toThrow(/expected a type letter/);
  });
});
