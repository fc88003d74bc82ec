// The consistency settings: defaults, per-container overrides (hooks merged key by key), and
// each invalid value reported at its place.
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../../agent/policy/parse.js';
import { formatProblem } from '../../../agent/policy/problem.js';
import { resolveContainer } from '../../../agent/policy/resolve.js';
import { HELPER_SOCKET_IN_CONTAINER } from '../../../agent/core/helper-protocol.js';

function parse(yaml: string) {
  return parsePolicy(yaml, 'policy.yaml');
}

describe('consistency settings', () => {
  it('defaults: auto, 30s, hooks on with 5m and fail, the helper socket in the container', () => {
    const { policy } = parse('version: 1\n');
    expect(policy?.host_helper).toBe(HELPER_SOCKET_IN_CONTAINER);
    const { settings } = resolveContainer(policy!, 'web');
    expect(settings.consistency).toBe('auto');
    expect(settings.max_freeze).toBe('30s');
    expect(settings.hooks).toEqual({ enabled: true, timeout: '5m', on_failure: 'fail' });
  });

  it('a container override replaces the mode and merges hooks key by key', () => {
    const yaml = [
      'version: 1',
      'host_helper: /run/helper.sock',
      'defaults:',
      '  consistency: freeze',
      '  hooks: { timeout: 1m }',
      'containers:',
      '  db:',
      '    consistency: snapshot',
      '    max_freeze: 5s',
      '    hooks: { on_failure: warn }',
      '',
    ].join('\n');
    const { policy, problems } = parse(yaml);
    expect(problems ?? []).toEqual([]);
    expect(policy?.host_helper).toBe('/run/helper.sock');
    expect(resolveContainer(policy!, 'web').settings.consistency).toBe('freeze');
    const db = resolveContainer(policy!, 'db').settings;
    expect(db.consistency).toBe('snapshot');
    expect(db.max_freeze).toBe('5s');
    expect(db.hooks).toEqual({ enabled: true, timeout: '1m', on_failure: 'warn' });
  });

  it.each([
    [
      'defaults:\n  consistency: suspend\n',
      '3:16 defaults.consistency',
      'expected "live" or "freeze" or "snapshot" or "auto", got "suspend"',
    ],
    ['defaults:\n  max_freeze: soon\n', '3:15 defaults.max_freeze', 'expected'],
    ['defaults:\n  hooks: { on_failure: ignore }\n', '3:24 defaults.hooks.on_failure', 'expected "fail" or "warn", got "ignore"'],
    ['defaults:\n  hooks: { enabld: true }\n', 'defaults.hooks.enabld', 'unknown key'],
    ['containers:\n  db: { hooks: { timeout: 5 } }\n', 'containers.db.hooks.timeout', 'expected'],
    ['host_helper: helper.sock\n', '2:14 host_helper', 'expected an absolute path'],
  ])('%j is reported at %s', (body, at, says) => {
    const { policy, problems } = parse(`version: 1\n${body}`);
    expect(policy).toBeUndefined();
    const first = formatProblem(problems![0]!);
    expect(first).toContain(at);
    expect(first).toContain(says);
  });
});
