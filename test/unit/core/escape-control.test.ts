// Guest-derived text made safe to print (issue 12, findings 8 and 9): escapeControl, the
// container-name rule, {name} in targets and duplicity include patterns.
import { describe, expect, it } from 'vitest';
import { literalPattern } from '../../../agent/engine/duplicity/literal-pattern.js';
import { escapeLogArguments } from '../../../agent/core/log.js';
import { buildRequests, describeEvent } from '../../../agent/notify/payloads.js';
import type { NotifyEvent } from '../../../agent/notify/event.js';
import { expandTarget } from '../../../agent/policy/target.js';
import { containerNameProblem } from '../../../agent/core/container-name.js';
import { escapeControl, escapeControlLines, stringifyForTerminal } from '../../../agent/core/escape-control.js';

describe('escapeControl', () => {
  it.each([
    ['plain name-1.txt', 'plain name-1.txt'],
    ['ünïcödé ✓', 'ünïcödé ✓'],
    ['a\x1b[2Jb', 'a\\x1b[2Jb'],
    ['line\nFri Jan  1 00:00:00 2021 fake', 'line\\nFri Jan  1 00:00:00 2021 fake'],
    ['cr\rtab\t', 'cr\\rtab\\t'],
    ['nul\x00del\x7f', 'nul\\x00del\\x7f'],
    ['csi\u009b31m', 'csi\\x9b31m'],
    ['bidi\u202eevil', 'bidi\\u202eevil'],
    ['sep\u2028x', 'sep\\u2028x'],
    ['back\\slash', 'back\\\\slash'],
  ])('%j -> %j', (input, expected) => {
    expect(escapeControl(input)).toBe(expected);
  });
  it('is unambiguous: a literal backslash sequence differs from the control it spells', () => {
    expect(escapeControl('\\x1b')).not.toBe(escapeControl('\x1b'));
  });
  it('keeps line breaks only in escapeControlLines', () => {
    expect(escapeControlLines('one\x1b\ntwo')).toBe('one\\x1b\ntwo');
  });
  it('stringifyForTerminal keeps the JSON value and leaves nothing raw a terminal acts on', () => {
    const value = { path: 'a\u009b31m\x1b[0m\u202e\nb\x7f' };
    const text = stringifyForTerminal(value);
    expect(JSON.parse(text)).toEqual(value);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: no control character may be left in the text
    expect(text).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e]/);
  });
  it('escapes what JSON leaves raw in log arguments, and leaves errors to pino', () => {
    const error = new Error('x');
    const [fields, message] = escapeLogArguments([
      { container: 'a\u009bb', problems: ['c\u202e'], err: error, n: 1 },
      'new container a\u009bb',
    ]);
    expect(fields).toEqual({ container: 'a\\u009bb', problems: ['c\\u202e'], err: error, n: 1 });
    expect(message).toBe('new container a\\u009bb');
  });
});

describe('container names', () => {
  it.each(['web', 'web-1', 'a', '9lives', 'db_2.example+x', 'x'.repeat(255)])('%s is valid', (name) => {
    expect(containerNameProblem(name)).toBeUndefined();
  });
  it.each([
    ['star*', /"star\*" is not supported/],
    ['q?', /not supported/],
    ['br[ack]et', /not supported/],
    ['new\nline', /"new\\nline"/],
    ['esc\x1b[31m', /"esc\\x1b\[31m"/],
    ['{name}', /not supported/],
    ['sp ace', /not supported/],
    ['pct%2F', /not supported/],
    ['.hidden', /starting with a letter or digit/],
    ['-dash', /not supported/],
    ['', /not supported/],
    ['x'.repeat(256), /at most 255/],
    ['ünï', /not supported/],
  ])('%j is refused', (name, reason) => {
    expect(containerNameProblem(name)).toMatch(reason);
  });
});

describe('expandTarget', () => {
  it('puts a valid name in as it is', () => {
    expect(expandTarget('s3:///bucket/{name}', 'web-1.a+b_c')).toBe('s3:///bucket/web-1.a+b_c');
  });
  it.each([
    ['a/../../b', 's3:///bucket/a%2F%2E%2E%2F%2E%2E%2Fb'],
    ['x?y#z', 's3:///bucket/x%3Fy%23z'],
    ['{name}', 's3:///bucket/%7Bname%7D'],
  ])('percent-encodes an invalid name %j whole', (name, expected) => {
    expect(expandTarget('s3:///bucket/{name}', name)).toBe(expected);
  });
});

describe('literalPattern (duplicity include)', () => {
  it('passes a plain path', () => {
    expect(literalPattern('/mnt/lxc/web-1')).toBe('/mnt/lxc/web-1');
  });
  it.each(['/mnt/lxc/web*', '/mnt/lxc/w?b', '/mnt/l[x]c/web', 'ignorecase:/mnt/lxc/web'])('refuses %s', (path) => {
    expect(() => literalPattern(path)).toThrow(/expected a path without the glob characters/);
  });
});

describe('notifications', () => {
  const event: NotifyEvent = {
    event: 'fail',
    container: 'web',
    action: 'backup',
    outcome: 'failed',
    duration: 1,
    bytes: null,
    error: 'cannot read rootfs/evil\x1b[2J\nfake line\u009b',
    host: 'h',
    time: '2026-01-01T00:00:00.000Z',
  };
  it('describe one line, with the guest-derived error escaped', () => {
    expect(describeEvent(event)).toBe('backup of web failed on h: cannot read rootfs/evil\\x1b[2J\\nfake line\\x9b');
  });
  it('webhook bodies keep the values and leave nothing raw', () => {
    const [hook] = buildRequests(event, {
      ping: {},
      webhook: 'https://example.test/hook',
      ntfy: null,
      timeout: '10s',
      retries: 0,
    } as never);
    expect(JSON.parse(hook!.body)).toEqual(event);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: no control character may be left in the body
    expect(hook!.body).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });
});
