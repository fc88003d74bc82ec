// One connection is one session: requests are read one JSON line at a time, validated, answered
// in order; when the connection closes, however it closes, everything the session holds is
// undone at once (in-flight hooks and boot tests are killed, freezes thawed, snapshots released).
import type { Socket } from 'node:net';
import { errorMessage } from '../core/error-message.js';
import { escapeControl } from '../core/escape-control.js';
import { HELPER_VERBS, helperRequestSchema } from '../core/helper-protocol.js';
import type { HelperContext } from './context.js';
import { thawAll } from './freezer.js';
import { HelperFailure } from './helper-failure.js';
import { newSessionState, type SessionState } from './session-state.js';
import { releaseAll } from './snapshots.js';
import { answer } from './verbs.js';

// A request line longer than this ends the session.
const MAX_LINE = 64 * 1024;
// Requests waiting behind the one being answered; a client that piles up more is cut off.
const MAX_QUEUED = 8;

// Serves one connection until it closes; resolves once what it held is undone.
export function serveSession(ctx: HelperContext, socket: Socket): Promise<void> {
  const session = newSessionState();
  let buffered = '';
  let queued = 0;
  let chain: Promise<void> = Promise.resolve();
  const send = (reply: object): void => {
    if (!socket.destroyed && socket.writable) socket.write(`${JSON.stringify(reply)}\n`);
  };
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    if (buffered.length > MAX_LINE && !buffered.includes('\n')) {
      send({ ok: false, code: 'refused', error: `request longer than ${MAX_LINE} bytes` });
      socket.destroy();
      return;
    }
    for (let newline = buffered.indexOf('\n'); newline >= 0; newline = buffered.indexOf('\n')) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (++queued > MAX_QUEUED) {
        send({ ok: false, code: 'refused', error: `more than ${MAX_QUEUED} requests waiting` });
        socket.destroy();
        return;
      }
      chain = chain.then(async () => {
        if (!session.abort.signal.aborted) send(await handleLine(ctx, session, line));
        queued--;
      });
    }
  });
  socket.on('error', () => undefined);
  return new Promise((resolve) => {
    socket.once('close', () => {
      session.abort.abort();
      chain = chain.then(() => endSession(ctx, session)).then(resolve);
    });
  });
}

// The reply to one request line (exported for the validation tests).
export async function handleLine(ctx: HelperContext, session: SessionState, line: string): Promise<object> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { ok: false, code: 'refused', error: 'request is not JSON' };
  }
  const id = typeof value === 'object' && value !== null && 'id' in value && Number.isInteger(value.id) ? value.id : undefined;
  const verb = typeof value === 'object' && value !== null && 'verb' in value ? value.verb : undefined;
  if (typeof verb !== 'string' || !(HELPER_VERBS as readonly string[]).includes(verb)) {
    const shown = escapeControl(String(verb).slice(0, 40));
    ctx.log.warn({ verb: shown, result: 'refused' }, 'refused request');
    return {
      id,
      ok: false,
      code: 'refused',
      error: `verb "${shown}" is not one the helper answers (expected one of ${HELPER_VERBS.join(', ')})`,
    };
  }
  const parsed = helperRequestSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const error = `${verb}: field ${issue?.path.join('.') || '?'}: ${issue?.message ?? 'invalid'}`;
    ctx.log.warn({ verb, result: 'refused', error }, 'refused request');
    return { id, ok: false, code: 'refused', error };
  }
  const request = parsed.data;
  const container = 'name' in request ? request.name : undefined;
  try {
    const reply = await answer(ctx, session, request);
    return { ...reply, id: request.id, ok: true };
  } catch (error) {
    const code = error instanceof HelperFailure ? error.code : 'failed';
    const message = errorMessage(error);
    ctx.log.warn({ container, verb, result: code, error: message }, `${verb} not done`);
    return { id: request.id, ok: false, code, error: message };
  }
}

async function endSession(ctx: HelperContext, session: SessionState): Promise<void> {
  await thawAll(ctx, session.freezes);
  await releaseAll(ctx, session);
}
