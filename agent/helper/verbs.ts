// The helper's verbs: a validated request in, a good reply's fields out (or a HelperFailure).
import { hostname } from 'node:os';
import { HELPER_PROTOCOL_VERSION, HELPER_VERBS, type HelperRequest } from '../core/helper-protocol.js';
import { bootTest } from './boot-test.js';
import type { HelperContext } from './context.js';
import { freezeGuest, thawGuest } from './freezer.js';
import { runHook } from './hook.js';
import { hostContainer } from './inventory.js';
import type { SessionState } from './session-state.js';
import { containerState, releaseSnapshot, takeSnapshot } from './snapshots.js';

// Carries out one request for a session; the container lock keeps sessions apart.
export async function answer(ctx: HelperContext, session: SessionState, request: HelperRequest): Promise<object> {
  switch (request.verb) {
    case 'hello':
      return { version: HELPER_PROTOCOL_VERSION, verbs: [...HELPER_VERBS], max_freeze_s: ctx.config.max_freeze_s, host: hostname() };
    case 'boot-test':
      return bootTest(ctx, session, request.dir, request.timeout_s);
    default:
      break;
  }
  const container = await hostContainer(ctx.config.lxcpath, ctx.config.backup_container, request.name);
  const name = container.name;
  switch (request.verb) {
    case 'state':
      return containerState(ctx, container);
    case 'freeze':
      await ctx.locks.run(name, () => freezeGuest(ctx, session.freezes, name, request.max_s));
      return {};
    case 'thaw':
      return ctx.locks.run(name, () => thawGuest(ctx, session.freezes, name));
    case 'snapshot':
      return ctx.locks.run(name, () => takeSnapshot(ctx, session, container, request.max_s));
    case 'release':
      await ctx.locks.run(name, () => releaseSnapshot(ctx, session, name));
      return {};
    case 'hook':
      return runHook(ctx, session, name, request.phase, request.timeout_s);
  }
}
