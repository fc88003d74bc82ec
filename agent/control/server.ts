// The agent's end of the control socket: a unix socket, mode 0600, newline-delimited JSON.
import { errorMessage, errnoCode } from '../core/error-message.js';
import { chmod, mkdir, unlink } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { dirname } from 'node:path';
import { exchangeLine } from './client.js';
import { type ControlHandlers, type ControlReply, type ControlRequest, type ControlVerb, parseRequest } from './protocol.js';

export interface ControlServer {
  close(): Promise<void>;
}

// Raised when another agent already answers on the socket.
export class SocketInUseError extends Error {
  override name = 'SocketInUseError';
}

// Hands a validated request to the handler for its verb.
function dispatch(handlers: ControlHandlers, request: ControlRequest): Promise<ControlReply<ControlVerb>> {
  switch (request.type) {
    case 'status':
      return handlers.status(request);
    case 'backup':
      return handlers.backup(request);
    case 'prune':
      return handlers.prune(request);
    case 'drill':
      return handlers.drill(request);
  }
}

// True when something on `path` answers a status request with JSON, whatever its shape (an agent
// of another version is still an agent).
async function agentAnswers(path: string): Promise<boolean> {
  const line = await exchangeLine(path, { type: 'status' }, { timeoutMs: 500 }).catch(() => undefined);
  if (line === undefined) return false;
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}

// Listens on `path`; `handlers` answer each verb. A stale socket file is replaced,
// a live one (another agent) is an error.
export async function startControlServer(path: string, handlers: ControlHandlers): Promise<ControlServer> {
  await mkdir(dirname(path), { recursive: true, mode: 0o755 });
  if (await agentAnswers(path)) {
    throw new SocketInUseError(`another agent is already listening on ${path}`);
  }
  await unlink(path).catch((error: unknown) => {
    if (errnoCode(error) !== 'ENOENT') throw error;
  });
  const server: Server = createServer((socket) => {
    socket.setEncoding('utf8');
    let buffer = '';
    let chain = Promise.resolve();
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      for (let newline = buffer.indexOf('\n'); newline >= 0; newline = buffer.indexOf('\n')) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (line === '') continue;
        // Answer in request order even when a handler is slow.
        chain = chain.then(async () => {
          const parsed = parseRequest(line);
          const response =
            'error' in parsed
              ? { ok: false as const, error: parsed.error }
              : await dispatch(handlers, parsed.request).catch((error: unknown) => ({
                  ok: false as const,
                  error: errorMessage(error),
                }));
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
