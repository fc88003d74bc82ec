// Every request line is validated before anything runs: these never reach an LXC command.
import { describe, expect, it } from 'vitest';
import type { Log } from '../../../agent/core/log.js';
import { parseHelperConfig } from '../../../agent/helper/config.js';
import { helperContext } from '../../../agent/helper/context.js';
import { newSessionState } from '../../../agent/helper/session-state.js';
import { handleLine } from '../../../agent/helper/session.js';

const lines: object[] = [];
const log: Log = { info: (f) => lines.push(f), warn: (f) => lines.push(f), error: (f) => lines.push(f) };
const ctx = helperContext(parseHelperConfig(['--backup-container', 'bc', '--lxcpath', '/nonexistent-lxcpath']), log);

const reply = (line: string) => handleLine(ctx, newSessionState(), line);

describe('helper request validation', () => {
  it('refuses what is not JSON', async () => {
    expect(await reply('freeze web')).toEqual({ ok: false, code: 'refused', error: 'request is not JSON' });
  });

  it('refuses a verb outside the list, keeping the id and escaping the verb', async () => {
    const answer = await reply(JSON.stringify({ id: 4, verb: 'exec\u001b[2J' }));
    expect(answer).toMatchObject({ id: 4, ok: false, code: 'refused' });
    expect(JSON.stringify(answer)).toContain('exec\\\\x1b[2J');
    expect(await reply(JSON.stringify({ id: 5 }))).toMatchObject({ id: 5, ok: false, code: 'refused' });
  });

  it('refuses names with path characters, a leading dot or dash, or over 64 bytes', async () => {
    for (const name of ['../web', 'a/b', '.hidden', '-n', 'x'.repeat(65), '', 'web\n']) {
      expect(await reply(JSON.stringify({ id: 1, verb: 'freeze', name, max_s: 5 }))).toMatchObject({
        ok: false,
        code: 'refused',
        error: expect.stringMatching(/field name/),
      });
    }
  });

  it('refuses missing or out-of-range fields', async () => {
    expect(await reply(JSON.stringify({ id: 1, verb: 'freeze', name: 'web' }))).toMatchObject({
      error: expect.stringMatching(/field max_s/),
    });
    expect(await reply(JSON.stringify({ id: 1, verb: 'freeze', name: 'web', max_s: 7200 }))).toMatchObject({
      error: expect.stringMatching(/field max_s/),
    });
    expect(await reply(JSON.stringify({ id: 1, verb: 'hook', name: 'web', phase: 'any', timeout_s: 5 }))).toMatchObject({
      error: expect.stringMatching(/field phase/),
    });
    expect(await reply(JSON.stringify({ id: 1, verb: 'boot-test', dir: 'a/../b', timeout_s: 5 }))).toMatchObject({
      error: expect.stringMatching(/field dir/),
    });
    expect(await reply(JSON.stringify({ id: 1, verb: 'boot-test', dir: '/abs', timeout_s: 5 }))).toMatchObject({
      error: expect.stringMatching(/field dir/),
    });
  });

  it('refuses the backup container and names not in the host store', async () => {
    expect(await reply(JSON.stringify({ id: 2, verb: 'state', name: 'bc' }))).toMatchObject({
      id: 2,
      code: 'refused',
      error: expect.stringMatching(/backup container/),
    });
    expect(await reply(JSON.stringify({ id: 3, verb: 'thaw', name: 'web' }))).toMatchObject({
      id: 3,
      code: 'refused',
      error: expect.stringMatching(/not a container of this host/),
    });
  });

  it('answers hello without touching LXC', async () => {
    expect(await reply(JSON.stringify({ id: 9, verb: 'hello' }))).toMatchObject({ id: 9, ok: true, version: 1, max_freeze_s: 30 });
  });
});
