// The version in `duplicity --version` output, captured and as later releases print it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseVersion } from '../../../../agent/engine/duplicity/parse-version.js';

const fixture = (name: string): string => readFileSync(new URL(`../../../fixtures/duplicity/${name}`, import.meta.url), 'utf8');

describe('parseVersion', () => {
  it.each([
    ['captured 0.8.22', fixture('0.8.22/version.stdout'), { major: 0, minor: 8, patch: 22, text: '0.8.22' }],
    ['3.0.3.2', 'duplicity 3.0.3.2\n', { major: 3, minor: 0, patch: 3, text: '3.0.3.2' }],
    ['3.0.4', 'duplicity 3.0.4', { major: 3, minor: 0, patch: 4, text: '3.0.4' }],
    ['2.2.1.dev2', 'duplicity 2.2.1.dev2', { major: 2, minor: 2, patch: 1, text: '2.2.1.dev2' }],
  ])('%s', (_name, text, expected) => {
    expect(parseVersion(text)).toEqual(expected);
  });

  it('is undefined for other output', () => {
    expect(parseVersion('bash: duplicity: command not found')).toBeUndefined();
  });
});
