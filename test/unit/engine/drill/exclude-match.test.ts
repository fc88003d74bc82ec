import { describe, expect, it } from 'vitest';
import { compileExcludes } from '../../../../agent/engine/drill/exclude-match.js';

describe('exclude patterns as duplicity applies them', () => {
  const excluded = compileExcludes(['rootfs/tmp/**', 'rootfs/var/cache/apt/**', 'rootfs/home/*/junk', 'rootfs/x?y', 'rootfs/[ab]c']);
  const test = (path: string): boolean => excluded(Buffer.from(path));

  it('keeps a directory whose contents `/**` excludes', () => {
    expect(test('rootfs/tmp')).toBe(false);
    expect(test('rootfs/tmp/a')).toBe(true);
    expect(test('rootfs/tmp/a/b/c')).toBe(true);
    expect(test('rootfs/tmpx')).toBe(false);
  });

  it('matches * within one component, and excludes what is below a match', () => {
    expect(test('rootfs/home/al/junk')).toBe(true);
    expect(test('rootfs/home/al/junk/deep')).toBe(true);
    expect(test('rootfs/home/al/x/junk')).toBe(false);
    expect(test('rootfs/xzy')).toBe(true);
    expect(test('rootfs/x/y')).toBe(false);
    expect(test('rootfs/bc')).toBe(true);
    expect(test('rootfs/cc')).toBe(false);
  });

  it('excludes nothing without patterns, and treats regex characters literally', () => {
    expect(compileExcludes([])(Buffer.from('rootfs/a'))).toBe(false);
    expect(compileExcludes(['rootfs/a+b'])(Buffer.from('rootfs/aab'))).toBe(false);
    expect(compileExcludes(['rootfs/a+b'])(Buffer.from('rootfs/a+b'))).toBe(true);
  });
});
