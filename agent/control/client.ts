// The CLI's end of the control socket: one request, one response, short timeouts.
import { connect } from 'node:net';
import type { ControlRequest, ControlResponse } from './protocol.js';

// Error codes that mean "no agent is running here".
const NO_AGENT = new Set(['ENOENT', 'ECONNREFUSED']);

// Sends one request; resolves undefined when no agent listens, rejects on a broken exchange.
export function requestAgent(
  path: string,
  request: ControlRequest,
  options: { timeoutMs?: number } = {},
): Promise<ControlResponse | undefined> {
  const timeoutMs = options.timeoutMs ?? 5000;
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    socket.setEncoding('utf8');
    let buffer = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the agent at ${path} did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('connect', () => socket.write(`${JSON.stringify(request)}\n`));
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      const newline = buffer.indexOf('\n');
      if (newline < 0) return;
      clearTimeout(timer);
      socket.end();
      try {
        resolve(JSON.parse(buffer.slice(0, newline)) as ControlResponse);
      } catch {
        reject(new Error(`the agent at ${path} sent something other than JSON`));
      }
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (NO_AGENT.has(error.code ?? '')) resolve(undefined);
      else reject(new Error(`cannot talk to the agent at ${path}: ${error.message}`));
    });
    socket.on('close', () => {
      clearTimeout(timer);
      if (!buffer.includes('\n')) reject(new Error(`the agent at ${path} closed the connection without answering`));
    });
  });
}
