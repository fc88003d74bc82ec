import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { probeTarget } from '../../../agent/engine/target-probe.js';
import { freePort, makeTempDir, removeDir } from '../../support/temp.js';

let dir = '';
beforeEach(async () => {
  dir = await makeTempDir('probe');
});
afterEach(async () => {
  await removeDir(dir);
});

const directory = (path: string) => ({ kind: 'directory' as const, path, key: `file://${path}` });

describe('probeTarget: a directory', () => {
  it('answers for a writable directory', async () => {
    expect(await probeTarget(directory(dir), 1000)).toEqual({ ok: true, target: `file://${dir}` });
  });

  it('answers for a directory not made yet under a writable one (duplicity creates it)', async () => {
    const path = join(dir, 'lxc', 'web');
    expect(await probeTarget(directory(path), 1000)).toEqual({ ok: true, target: `file://${path}` });
  });

  it('fails when the nearest existing part of the path is a file', async () => {
    await writeFile(join(dir, 'file'), 'x');
    const result = await probeTarget(directory(join(dir, 'file', 'lxc', 'web')), 1000);
    expect(result.ok ? '' : result.message).toContain('ENOTDIR');
  });

  it.each([
    [
      'a file',
      async (base: string) => {
        await writeFile(join(base, 'file'), 'x');
        return join(base, 'file');
      },
      'found a file',
    ],
    [
      'under a file',
      async (base: string) => {
        await writeFile(join(base, 'file'), 'x');
        return join(base, 'file', 'below');
      },
      'ENOTDIR',
    ],
  ])('fails for %s, naming the path', async (_case, make, expected) => {
    const path = await make(dir);
    const result = await probeTarget(directory(path), 1000);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.message).toContain(`target file://${path} is unreachable`);
    expect(result.ok ? '' : result.message).toContain(expected);
  });

  // Root may write there anyway, and access() says so, correctly.
  it.skipIf(process.getuid?.() === 0)('fails for a directory without write permission when not root', async () => {
    const locked = join(dir, 'locked');
    await mkdir(locked);
    await chmod(locked, 0o555);
    const result = await probeTarget(directory(locked), 1000);
    expect(result.ok ? '' : result.message).toContain('not writable');
  });
});

describe('probeTarget: a server', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    server = undefined;
  });

  it('answers once the port accepts a connection', async () => {
    server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const result = await probeTarget({ kind: 'tcp', host: '127.0.0.1', port, key: `sftp://127.0.0.1:${port}` }, 1000);
    expect(result).toEqual({ ok: true, target: `sftp://127.0.0.1:${port}` });
  });

  it('fails fast on a closed port, naming host and port', async () => {
    const port = await freePort();
    const started = Date.now();
    const result = await probeTarget({ kind: 'tcp', host: '127.0.0.1', port, key: 'k' }, 5000);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(result.ok ? '' : result.message).toContain(`cannot connect to 127.0.0.1:${port}: ECONNREFUSED`);
  });

  it('gives up after the timeout when nothing answers', async () => {
    // 192.0.2.0/24 is TEST-NET-1: never routed, so the connect hangs (or fails at once without a route).
    const started = Date.now();
    const result = await probeTarget({ kind: 'tcp', host: '192.0.2.1', port: 9, key: 'k' }, 300);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(result.ok).toBe(false);
  });

  it('stops when its caller aborts', async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await probeTarget({ kind: 'tcp', host: '192.0.2.1', port: 9, key: 'k' }, 5000, controller.signal);
    expect(result).toEqual({ ok: false, target: 'k', message: 'target k is unreachable: probe cancelled' });
  });
});
