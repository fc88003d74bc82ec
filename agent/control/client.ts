// The CLI's end of the control socket: one request, one validated reply, short timeouts.
import { errnoCode } from '../core/error-message.js';
import { connect } from 'node:net';
import { type ControlReply, type ControlRequest, parseReply } from './protocol.js';

// Error codes that mean "no agent is running here".
const NO_AGENT = new Set(['ENOENT', 'ECONNREFUSED']);

// Sends one request line and resolves with the first line back, undefined when no agent listens;
// rejects on a broken exchange. The reply is not looked at (see requestAgent).
export function exchangeLine(path: string, request: ControlRequest, options: { timeoutMs?: number } = {}): Promise<string | undefined> {
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
      resolve(buffer.slice(0, newline));
    });
    socket.on('error', (error: Error) => {
      clearTimeout(timer);
      if (NO_AGENT.has(errnoCode(error) ?? '')) resolve(undefined);
      else reject(new Error(`cannot talk to the agent at ${path}: ${error.message}`));
    });
    socket.on('close', () => {
      clearTimeout(timer);
      if (!buffer.includes('\n')) reject(new Error(`the agent at ${path} closed the connection without answering`));
    });
  });
}

// Sends one request; resolves with the agent's reply for that verb, undefined when no agent
// listens; rejects on a broken exchange or a reply of the wrong shape.
export async function requestAgent<R extends ControlRequest>(
  path: string,
  request: R,
  options: { timeoutMs?: number } = {},
): Promise<ControlReply<R['type']> | undefined> {
  const line = await exchangeLine(path, request, options);
  if (line === undefined) return undefined;
  const parsed = parseReply<R['type']>(request.type, line);
  if ('error' in parsed) throw new Error(`the agent at ${path} sent a malformed reply: ${parsed.error}`);
  return parsed.reply;
}
