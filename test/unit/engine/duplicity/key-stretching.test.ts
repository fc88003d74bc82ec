// Which passphrases skip gpg's key stretching: only the shape of 32 random bytes in base64.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { looksLikeRandomSecret, stretchingGpgOptions } from '../../../../agent/engine/duplicity/key-stretching.js';

// What scripts/provision writes (head -c 32 /dev/urandom | base64), fixed so the test is stable.
const GENERATED = 'q3V8Lk0tR2mZf9Yx1bWc7NpJ4hGd6sEaTu5iOvHyQw8=';

describe('looksLikeRandomSecret', () => {
  it('accepts base64 of 32 random bytes', () => {
    expect(looksLikeRandomSecret(GENERATED)).toBe(true);
    let accepted = 0;
    for (let i = 0; i < 2000; i++) if (looksLikeRandomSecret(randomBytes(32).toString('base64'))) accepted++;
    // The checks reject ~1.3 % of random output (they then get gpg's full count).
    expect(accepted).toBeGreaterThan(1940);
  });

  it.each([
    ['a short passphrase', 'correct horse battery staple'],
    ['words in CamelCase, in the shape', 'ThisIsMyVeryLongPassphraseForBackupsIn2024A='],
    ['the alphabet, in the shape', 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopA='],
    ['one repeated pattern, in the shape', 'aB3aB3aB3aB3aB3aB3aB3aB3aB3aB3aB3aB3aB3aB3A='],
    ['base64 of 32 bytes without its padding', GENERATED.slice(0, -1)],
    ['base64 of 33 bytes', randomBytes(33).toString('base64')],
    ['64 hex characters (sha256sum of a word has this shape too)', 'a'.repeat(32) + '0123456789abcdef'.repeat(2)],
    ['a last character that 32 bytes cannot end in', `${GENERATED.slice(0, 42)}B=`],
  ])('refuses %s', (_what, passphrase) => {
    expect(looksLikeRandomSecret(passphrase)).toBe(false);
  });
});

describe('stretchingGpgOptions', () => {
  it('lowers the S2K count only under auto, only for a random secret', () => {
    expect(stretchingGpgOptions('auto', GENERATED)).toEqual(['--s2k-count=65536']);
    expect(stretchingGpgOptions('full', GENERATED)).toEqual([]);
    expect(stretchingGpgOptions('auto', 'correct horse battery staple')).toEqual([]);
  });
});
