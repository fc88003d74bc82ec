// The agent's end of the host helper (core/helper-protocol.ts): one connection is one session,
// so everything the session took (freezes, snapshots) is undone by the helper when `close()`
// runs or when this process dies. Requests go one at a time, each with its own time limit.
import { connect, type Socket } from 'node:net';
import {
  type HelperErrorReply,
  helperErrorReplySchema,
  type HelperReply,
  helperReplySchemas,
  type HelperRequest,
  type HelperVerb,
} from './helper-protocol.js';

// A refused, failed or timed-out helper request, with the helper's own words.
export class HelperError extends Error {
  constructor(
    readonly code: HelperErrorReply['code'] | 'unavailable' | 'protocol',
    message: string,
  ) {
    super(message);
    this.name = 'HelperError';
  }
}

// A request without its id: the session numbers them.
export type HelperCall = HelperRequest extends infer R ? (R extends HelperRequest ? Omit<R, 'id'> : never) : never;

// An open session with the host helper.
export interface HelperSession {
  request<V extends HelperVerb>(call: Extract<HelperCall, { verb: V }>, timeoutMs: number): Promise<HelperReply<V>>;
  // Ends the session; the helper undoes whatever it still holds for it.
  close(): void;
}

// A reply line longer than this is a protocol error, never buffered further.
const MAX_LINE = 64 * 1024;

// Opens a session on the helper's socket at `path`; throws HelperError('unavailable') when
// nothing answers there within `timeoutMs`.
export function openHelperSession(path: string, timeoutMs: number): Promise<HelperSession> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new HelperError('unavailable', `host helper at ${path}: no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(new HelperError('unavailable', `host helper at ${path}: ${error.message}`));
    });
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(sessionOn(socket, path));
    });
  });
}

function sessionOn(socket: Socket, path: string): HelperSession {
  socket.setEncoding('utf8');
  let nextId = 1;
  let buffered = '';
  let pending: { id: number; verb: HelperVerb; settle: (line: string | Error) => void } | undefined;
  const fail = (error: Error): void => {
    const waiting = pending;
    pending = undefined;
    waiting?.settle(error);
  };
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    if (buffered.length > MAX_LINE && !buffered.includes('\n')) {
      fail(new HelperError('protocol', `host helper at ${path}: reply longer than ${MAX_LINE} bytes`));
      socket.destroy();
      return;
    }
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      const waiting = pending;
      pending = undefined;
      waiting?.settle(line);
      newline = buffered.indexOf('\n');
    }
  });
  socket.on('error', (error) => fail(new HelperError('unavailable', `host helper at ${path}: ${error.message}`)));
  socket.on('close', () => fail(new HelperError('unavailable', `host helper at ${path} closed the session`)));

  return {
    request(call, timeoutMs) {
      if (pending) return Promise.reject(new Error('helper session: one request at a time'));
      const id = nextId++;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          // The session's state is unknown after a lost reply: end it, so the helper undoes it.
          fail(new HelperError('timeout', `host helper: ${call.verb} got no reply within ${timeoutMs} ms`));
          socket.destroy();
        }, timeoutMs);
        pending = {
          id,
          verb: call.verb,
          settle: (line) => {
            clearTimeout(timer);
            if (line instanceof Error) return reject(line);
            try {
              resolve(parseReply(call.verb, id, line) as never);
            } catch (error) {
              reject(error);
            }
          },
        };
        socket.write(`${JSON.stringify({ ...call, id })}\n`);
      });
    },
    close() {
      socket.end();
      socket.destroySoon();
    },
  };
}

// The reply to request `id` of `verb`, validated; a helper error becomes a HelperError.
function parseReply<V extends HelperVerb>(verb: V, id: number, line: string): HelperReply<V> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new HelperError('protocol', `host helper: ${verb} reply is not JSON`);
  }
  const error = helperErrorReplySchema.safeParse(value);
  if (error.success) throw new HelperError(error.data.code, `host helper ${error.data.code} ${verb}: ${error.data.error}`);
  const reply = helperReplySchemas[verb].safeParse(value);
  if (!reply.success || reply.data.id !== id) throw new HelperError('protocol', `host helper: unexpected reply to ${verb} #${id}`);
  return reply.data as HelperReply<V>;
}
