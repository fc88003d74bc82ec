// The fingerprint's excludes: exactly duplicity's meaning where it is copied, never more.
import { describe, expect, it } from 'vitest';
import { compileExcludes } from '../../../../agent/engine/change-detection/exclude-matcher.js';

const matches = (patterns: string[], path: string | Buffer): boolean =>
  compileExcludes(patterns).excludes(typeof path === 'string' ? Buffer.from(path) : path);

describe('compileExcludes', () => {
  it('excludes a literal path and everything under it, not a sibling sharing its prefix', () => {
    expect(matches(['rootfs/tmp'], 'rootfs/tmp')).toBe(true);
    expect(matches(['rootfs/tmp'], 'rootfs/tmp/x/y')).toBe(true);
    expect(matches(['rootfs/tmp'], 'rootfs/tmpfoo')).toBe(false);
    expect(matches(['rootfs/tmp'], 'rootfs')).toBe(false);
  });

  it('keeps the directory of `dir/**` and excludes what it holds (the default excludes)', () => {
    expect(matches(['rootfs/tmp/**'], 'rootfs/tmp')).toBe(false);
    expect(matches(['rootfs/tmp/**'], 'rootfs/tmp/a')).toBe(true);
    expect(matches(['rootfs/tmp/**'], Buffer.from('rootfs/tmp/a\nb/\xff', 'latin1'))).toBe(true);
  });

  it('reads * within one name and ** across names', () => {
    expect(matches(['rootfs/home/*/.cache'], 'rootfs/home/ann/.cache/x')).toBe(true);
    expect(matches(['rootfs/home/*/.cache'], 'rootfs/home/a/b/.cache')).toBe(false);
    expect(matches(['rootfs/**/.cache'], 'rootfs/home/a/b/.cache')).toBe(true);
    expect(matches(['rootfs/var/log/*.gz'], 'rootfs/var/log/syslog.1.gz')).toBe(true);
    expect(matches(['rootfs/var/log/*.gz'], 'rootfs/var/log/syslog')).toBe(false);
  });

  it('normalises a pattern as path.join does before duplicity sees it', () => {
    expect(matches(['rootfs//tmp/./x'], 'rootfs/tmp/x')).toBe(true);
  });

  it('reads ? as one ASCII byte only (duplicity: one character, maybe several bytes)', () => {
    expect(matches(['rootfs/a?'], 'rootfs/ab')).toBe(true);
    expect(matches(['rootfs/a??'], Buffer.from('rootfs/a\xc3\xa9', 'latin1'))).toBe(false);
  });

  it('leaves out what it cannot copy exactly, so those entries stay in the fingerprint', () => {
    for (const pattern of ['rootfs/[ab]', 'ignorecase:rootfs/TMP', 'rootfs/tmp/', 'rootfs/caf\u00e9', '.']) {
      const matcher = compileExcludes([pattern]);
      expect(matcher.unsupported).toEqual([pattern]);
      expect(matcher.excludes(Buffer.from('rootfs/a'))).toBe(false);
    }
  });
});
