// The agent's end of the control socket: a unix socket, mode 0600, newline-delimited JSON.
import { chmod, mkdir, unlink } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { dirname } from 'node:path';
import { requestAgent } from './client.js';
import { parseRequest, type ControlRequest, type ControlResponse } from './protocol.js';

export interface ControlServer {
  close(): Promise<void>;
}

// Raised when another agent already answers on the socket.
export class SocketInUseError extends Error {
  override name = 'SocketInUseError';
}

// Listens on `path`; `handle` answers each request. A stale socket file is replaced,
// a live one (another agent) is an error.
export async function startControlServer(
  path: string,
  handle: (request: ControlRequest) => Promise<ControlResponse>,
): Promise<ControlServer> {
  await mkdir(dirname(path), { recursive: true, mode: 0o755 });
  if ((await requestAgent(path, { type: 'status' }, { timeoutMs: 500 }).catch(() => undefined)) !== undefined) {
    throw new SocketInUseError(`another agent is already listening on ${path}`);
  }
  await unlink(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
  const server: Server = createServer((socket) => {
    socket.setEncoding('utf8');
    let buffer = '';
    let chain = Promise.resolve();
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (line === '') continue;
        // Answer in request order even when a handler is slow.
        chain = chain.then(async () => {
          const parsed = parseRequest(line);
          const response =
            'error' in parsed
              ? { ok: false as const, error: parsed.error }
              : await handle(parsed.request).catch((error: unknown) => ({ ok: false as const, error: (error as Error).message }));
          if (!socket.destroyed) socket.write(`${JSON.stringify(response)}\n`);
        });
      }
    });
    socket.on('error', () => socket.destroy());
  });
  // Only root may talk to the agent: the socket is created with umask 077 and chmod'ed to be sure.
  const umask = process.umask(0o077);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => resolve());
    });
  } finally {
    process.umask(umask);
  }
  await chmod(path, 0o600);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        void unlink(path).catch(() => undefined);
      }),
  };
}
