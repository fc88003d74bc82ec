import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requestAgent } from '../../../agent/control/client.js';
import { type ControlVerb, parseReply, parseRequest } from '../../../agent/control/protocol.js';
import { makeTempDir, removeDir } from '../../support/temp.js';

const row = {
  name: 'web',
  state: 'ok',
  last_success: '2026-01-01T00:00:00.000Z',
  last_error: null,
  next_run: null,
  orphaned_since: null,
  size_bytes: 10,
  chains: 1,
  retry_at: null,
  last_verified: null,
  last_drill: null,
  unchanged: false,
};
const status = { ok: true, status: { policy: { path: '/p.yaml', valid: true, error: null }, containers: [row] } };
const trigger = { ok: true, queued: ['a'], merged: [], skipped: [{ name: 'b', reason: 'disabled' }], unknown: [] };

describe('parseRequest', () => {
  it.each([
    ['an array', '[]'],
    ['a string', '"status"'],
    ['no type', '{"names":["a"]}'],
    ['an unknown verb', '{"type":"restore","names":["a"]}'],
    ['a type that is not a string', '{"type":1}'],
    ['names that are not a list', '{"type":"backup","names":"a"}'],
    ['an empty name', '{"type":"prune","names":[""]}'],
    ['a name that is not a string', '{"type":"backup","names":[1]}'],
    ['all that is not a boolean', '{"type":"backup","all":"yes"}'],
    ['full that is not a boolean', '{"type":"backup","all":true,"full":1}'],
    ['all: false and no names', '{"type":"prune","all":false}'],
    ['truncated JSON', '{"type":"status"'],
  ])('rejects %s in one line', (_what, line) => {
    const parsed = parseRequest(line);
    expect(parsed).toHaveProperty('error', expect.stringMatching(/^expected [^\n]*$/));
  });
});

describe('parseReply', () => {
  it.each<[ControlVerb, unknown]>([
    ['status', status],
    ['backup', trigger],
    ['prune', trigger],
    ['status', { ok: false, error: 'busy' }],
    ['backup', { ok: false, error: 'busy' }],
  ])('accepts a %s reply %j', (verb, reply) => {
    expect(parseReply(verb, JSON.stringify(reply))).toEqual({ reply });
  });

  it.each<[string, ControlVerb, string]>([
    ['not JSON', 'status', '{"ok":tru'],
    ['no ok', 'status', JSON.stringify({ status: status.status })],
    ['ok false without an error', 'backup', '{"ok":false}'],
    ['an error that is not a string', 'prune', '{"ok":false,"error":{"why":"x"}}'],
    ['ok that is not a boolean', 'status', JSON.stringify({ ...status, ok: 'yes' })],
    ['no report', 'status', '{"ok":true}'],
    ['a trigger reply to status', 'status', JSON.stringify(trigger)],
    ['a status reply to backup', 'backup', JSON.stringify(status)],
    ['containers that are not a list', 'status', JSON.stringify({ ok: true, status: { ...status.status, containers: {} } })],
    ['an unknown state', 'status', JSON.stringify({ ok: true, status: { ...status.status, containers: [{ ...row, state: 'fine' }] } })],
    [
      'a row without chains',
      'status',
      JSON.stringify({ ok: true, status: { ...status.status, containers: [{ ...row, chains: undefined }] } }),
    ],
    [
      'a size that is a string',
      'status',
      JSON.stringify({ ok: true, status: { ...status.status, containers: [{ ...row, size_bytes: '1' }] } }),
    ],
    ['queued missing', 'backup', JSON.stringify({ ...trigger, queued: undefined })],
    ['a queued name that is a number', 'prune', JSON.stringify({ ...trigger, queued: [1] })],
    ['a skipped entry without a reason', 'backup', JSON.stringify({ ...trigger, skipped: [{ name: 'b' }] })],
    ['skipped names as strings', 'prune', JSON.stringify({ ...trigger, skipped: ['b'] })],
  ])('rejects %s in one line', (_what, verb, line) => {
    const parsed = parseReply(verb, line);
    expect(parsed).toHaveProperty('error', expect.stringMatching(/^expected [^\n]*$/));
  });
});

describe('requestAgent', () => {
  let dir: string;
  let server: Server | undefined;
  beforeEach(async () => {
    dir = await makeTempDir('protocol');
  });
  afterEach(async () => {
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    server = undefined;
    await removeDir(dir);
  });

  // A fake agent that answers every request with `line`.
  async function answering(line: string): Promise<string> {
    const path = join(dir, 'agent.sock');
    server = createServer((socket) => socket.once('data', () => socket.end(`${line}\n`)));
    await new Promise<void>((resolve) => server?.listen(path, resolve));
    return path;
  }

  it('returns a well-formed reply', async () => {
    const path = await answering(JSON.stringify(trigger));
    expect(await requestAgent(path, { type: 'backup', all: true })).toEqual(trigger);
  });

  it('rejects a malformed reply with one line naming the agent and the problem', async () => {
    const path = await answering(JSON.stringify({ ok: true, queued: 'a' }));
    const error = await requestAgent(path, { type: 'prune', all: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(String(error)).toMatch(/^Error: the agent at .*agent\.sock sent a malformed reply: expected a prune reply, got queued: [^\n]*$/);
  });

  it('rejects something other than JSON', async () => {
    const path = await answering('hello');
    await expect(requestAgent(path, { type: 'status' })).rejects.toThrow(/sent a malformed reply: expected one JSON object/);
  });
});
