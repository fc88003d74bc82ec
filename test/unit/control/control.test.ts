import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requestAgent } from '../../../agent/control/client.js';
import { type ControlHandlers, parseRequest } from '../../../agent/control/protocol.js';
import { SocketInUseError, startControlServer, type ControlServer } from '../../../agent/control/server.js';
import { agentSocketPath } from '../../../agent/control/socket-path.js';
import type { StatusReport } from '../../../agent/daemon/status-report.js';
import { makeTempDir, removeDir } from '../../support/temp.js';

describe('parseRequest', () => {
  it.each([
    ['{"type":"status"}', { request: { type: 'status' } }],
    ['{"type":"backup","names":["a"],"full":true}', { request: { type: 'backup', names: ['a'], full: true } }],
    ['{"type":"prune","all":true}', { request: { type: 'prune', all: true } }],
    ['{"type":"drill","names":["a"]}', { request: { type: 'drill', names: ['a'] } }],
  ])('accepts %s', (line, expected) => {
    expect(parseRequest(line)).toEqual(expected);
  });
  it.each([
    'not json',
    '{"type":"explode"}',
    '{"type":"backup"}',
    '{"type":"backup","names":["a"],"all":true}',
    '{"type":"prune","names":[]}',
    '{"type":"drill"}',
  ])('rejects %s', (line) => {
    expect(parseRequest(line)).toHaveProperty('error', expect.stringMatching(/^expected/));
  });
});

// Handlers that answer every verb with fixed replies.
const report: StatusReport = { policy: { path: '/p.yaml', valid: true, error: null }, containers: [] };
const triggered = { ok: true as const, queued: [], merged: [], skipped: [], unknown: [] };
const handlers: ControlHandlers = {
  status: async () => ({ ok: true, status: report }),
  backup: async () => triggered,
  prune: async () => triggered,
  drill: async () => triggered,
};

describe('control socket', () => {
  let dir: string;
  let server: ControlServer | undefined;
  beforeEach(async () => {
    dir = await makeTempDir('control');
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await removeDir(dir);
  });

  it('honours LXC_BACKUP_SOCKET', () => {
    expect(agentSocketPath({ LXC_BACKUP_SOCKET: '/tmp/x.sock' })).toBe('/tmp/x.sock');
    expect(agentSocketPath({})).toBe('/run/lxc-backup/agent.sock');
  });

  it('answers requests over a 0600 socket and refuses a second agent', async () => {
    const path = join(dir, 'sub', 'agent.sock');
    expect(await requestAgent(path, { type: 'status' })).toBeUndefined();
    server = await startControlServer(path, handlers);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await requestAgent(path, { type: 'status' })).toEqual({ ok: true, status: report });
    await expect(startControlServer(path, handlers)).rejects.toBeInstanceOf(SocketInUseError);
    await server.close();
    server = undefined;
    // A stale socket file left behind (crash) is no agent.
    expect(await requestAgent(path, { type: 'status' }, { timeoutMs: 500 })).toBeUndefined();
  });
});
