// The fingerprint's excludes: exactly duplicity's meaning where it is copied, never more.
import { describe, expect, it } from 'vitest';
import { compileExcludes } from '../../../agent/engine/exclude-globs.js';

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

  it('mightExclude: what excludes() drops, and a wide reading of every unsupported pattern', () => {
    const might = (patterns: string[], path: string | Buffer): boolean =>
      compileExcludes(patterns).mightExclude(typeof path === 'string' ? Buffer.from(path) : path);
    // Supported patterns: the same as excludes().
    expect(might(['rootfs/tmp/**'], 'rootfs/tmp/a')).toBe(true);
    expect(might(['rootfs/tmp/**'], 'rootfs/tmp')).toBe(false);
    // `[...]`: any one character (1 to 4 bytes, even `/`), and what is below a match.
    expect(might(['rootfs/[ab]c'], 'rootfs/bc')).toBe(true);
    expect(might(['rootfs/[ab]c'], 'rootfs/zc/deep')).toBe(true);
    expect(might(['rootfs/[!a]c'], Buffer.from('rootfs/\xc3\xa9c', 'latin1'))).toBe(true);
    expect(might(['rootfs/x[/]y'], 'rootfs/x/y')).toBe(true);
    expect(might(['rootfs/[ab]c'], 'rootfs/c')).toBe(false);
    expect(might(['rootfs/[ab]c'], 'rootfs/bd')).toBe(false);
    expect(might(['rootfs/[ab]c', 'rootfs/other'], 'rootfs/other/x')).toBe(true);
    // An unclosed `[` is literal.
    expect(might(['rootfs/a[b'], 'rootfs/a[b')).toBe(true);
    expect(might(['rootfs/a[b'], 'rootfs/axb')).toBe(false);
    // ignorecase: any case (and the literal reading, as exclude-file.ts writes it).
    expect(might(['ignorecase:rootfs/TMP'], 'rootfs/tmp/x')).toBe(true);
    expect(might(['ignorecase:rootfs/TMP'], 'rootfs/Tmp')).toBe(true);
    expect(might(['ignorecase:rootfs/TMP'], 'ignorecase:rootfs/TMP')).toBe(true);
    expect(might(['ignorecase:rootfs/TMP'], 'rootfs/tmq')).toBe(false);
    // Python folds the Kelvin sign to k.
    expect(might(['ignorecase:rootfs/k'], Buffer.from('rootfs/\u212a', 'utf8'))).toBe(true);
    // A trailing `/` (directories only): read as without it.
    expect(might(['rootfs/cache/'], 'rootfs/cache')).toBe(true);
    expect(might(['rootfs/cache/'], 'rootfs/cache/f')).toBe(true);
    // Non-ASCII: its UTF-8 bytes; `.`: everything.
    expect(might(['rootfs/caf\u00e9'], Buffer.from('rootfs/caf\u00e9/x', 'utf8'))).toBe(true);
    expect(might(['rootfs/caf\u00e9'], 'rootfs/cafe')).toBe(false);
    expect(might(['.'], 'config')).toBe(true);
  });
});
