// Precedence of defaults, globs and exact entries, and the pure helpers behind it.
import { describe, expect, it } from 'vitest';
import { durationSeconds, isDuration } from '../../../agent/policy/duration.js';
import { globSpecificity, matchesPattern } from '../../../agent/policy/glob.js';
import { parsePolicy } from '../../../agent/policy/parse.js';
import { resolveContainer } from '../../../agent/policy/resolve.js';
import type { Policy } from '../../../agent/policy/schema.js';

function policyOf(yaml: string): Policy {
  const result = parsePolicy(yaml, 'policy.yaml');
  expect(result.problems).toEqual([]);
  return result.policy!;
}

const layered = `
version: 1
defaults:
  schedule: "0 3 * * *"
  compression: fast
  retention: { older_than: 2M }
containers:
  web-1:
    schedule: "30 1 * * *"
  "web-*":
    schedule: "0 */6 * * *"
    volsize: 50
    retention: { keep_full: 3 }
  "w*":
    schedule: "0 0 * * *"
    volsize: 10
    compression: best
  "*-1":
    compression: none
`;

describe('resolveContainer', () => {
  it('applies defaults < less specific glob < more specific glob < exact name', () => {
    const resolved = resolveContainer(policyOf(layered), 'web-1');
    expect(resolved.sources).toEqual(['defaults', 'containers.w*', 'containers.*-1', 'containers.web-*', 'containers.web-1']);
    expect(resolved.settings.schedule).toBe('30 1 * * *'); // exact wins over both globs
    expect(resolved.settings.volsize).toBe(50); // web-* (4 literals) beats w* (1)
    expect(resolved.settings.compression).toBe('none'); // *-1 (2 literals) beats w*, web-* does not set it
    expect(resolved.settings.retention).toEqual({ older_than: '2M', keep_full: 3, keep_incrementals_of_full: null });
    expect(resolved.target).toBe('file:///var/backups/lxc/web-1');
  });

  it('breaks a specificity tie by file order: the later entry wins', () => {
    const policy = policyOf('version: 1\ncontainers:\n  "db-*":\n    volsize: 1\n  "*-db":\n    volsize: 2\n');
    expect(resolveContainer(policy, 'db-db').settings.volsize).toBe(2);
    const swapped = policyOf('version: 1\ncontainers:\n  "*-db":\n    volsize: 2\n  "db-*":\n    volsize: 1\n');
    expect(resolveContainer(swapped, 'db-db').settings.volsize).toBe(1);
  });

  it('leaves an unmatched container on the defaults and reports ignore patterns', () => {
    const policy = policyOf('version: 1\nignore: ["tmp-*"]\ncontainers:\n  "web-*": { enabled: false }\n');
    expect(resolveContainer(policy, 'db').sources).toEqual(['defaults']);
    expect(resolveContainer(policy, 'db').settings.enabled).toBe(true);
    expect(resolveContainer(policy, 'tmp-1').ignoredBy).toBe('tmp-*');
    expect(resolveContainer(policy, 'web-2').settings.enabled).toBe(false);
  });

  it('replaces lists and the encryption block whole', () => {
    const policy = policyOf('version: 1\ncontainers:\n  db:\n    exclude: [rootfs/var/lib/postgresql]\n    encryption: { mode: none }\n');
    const resolved = resolveContainer(policy, 'db');
    expect(resolved.settings.exclude).toEqual(['rootfs/var/lib/postgresql']);
    expect(resolved.settings.encryption).toEqual({ mode: 'none' });
  });
});

describe('globs', () => {
  it.each([
    ['web-*', 'web-1', true],
    ['web-*', 'db-1', false],
    ['db-?', 'db-10', false],
    ['[ab]-x', 'b-x', true],
    ['[a-c]-x', 'c-x', true],
    ['[a-c]-x', '--x', false],
    ['a.b', 'aXb', false],
  ])('%s matches %s: %s', (pattern, name, expected) => expect(matchesPattern(name, pattern)).toBe(expected));

  it('counts literal characters as specificity', () => {
    expect(globSpecificity('web-*')).toBe(4);
    expect(globSpecificity('w*')).toBe(1);
    expect(globSpecificity('[ab]-x')).toBe(2);
  });
});

describe('durations', () => {
  it.each([
    ['90s', 90],
    ['2m', 120],
    ['1h30m', 5400],
    ['30D', 30 * 86400],
    ['2W', 14 * 86400],
    ['2M', 60 * 86400],
    ['1Y', 365 * 86400],
  ])('%s is %i seconds', (text, seconds) => expect(durationSeconds(text)).toBe(seconds));

  it.each(['', '30', 'D', '30d', '1.5h', '2 M', '-1D'])('rejects %j', (text) => expect(isDuration(text)).toBe(false));
});
