// freeze and thaw: a session pauses a RUNNING guest for at most min(max_s, max_freeze); the
// helper thaws it at that limit by itself, on `thaw`, or when the session ends. A guest that is
// FROZEN already (by the admin, or another session) is never frozen again, nor thawed by us.
import { escapeControl } from '../core/escape-control.js';
import { errorMessage } from '../core/error-message.js';
import type { HelperContext } from './context.js';
import { dropHeld, writeHeld } from './held-records.js';
import { HelperFailure, refuse } from './helper-failure.js';
import { lxcFreeze, lxcState, lxcThaw } from './lxc-commands.js';

// One freeze a session holds.
interface FreezeHold {
  startedAt: number;
  timer: NodeJS.Timeout;
  // Set once thawed at the limit: what `thaw` then reports.
  thawed?: { pausedMs: number; limitHit: boolean };
}

// The freezes of one session, by container name.
export type SessionFreezes = Map<string, FreezeHold>;

// What a thaw reports.
export interface ThawResult {
  paused_ms: number;
  limit_hit: boolean;
}

// Freezes `name` for this session; throws a HelperFailure when not RUNNING or already held.
export async function freezeGuest(ctx: HelperContext, held: SessionFreezes, name: string, maxS: number): Promise<void> {
  const shown = escapeControl(name);
  if (held.has(name)) refuse(`${shown} is already frozen by this session`);
  const state = await lxcState(ctx.lxc, name);
  if (state === 'FROZEN' || state === 'FREEZING')
    refuse(`${shown} is ${state} already (not by this session): the helper neither freezes it again nor thaws it`);
  if (state !== 'RUNNING') refuse(`${shown} is ${escapeControl(state)}, expected RUNNING`);
  await writeHeld(ctx.config.state_dir, { kind: 'freeze', name });
  const startedAt = Date.now();
  try {
    await lxcFreeze(ctx.lxc, name);
  } catch (error) {
    await lxcThaw(ctx.lxc, name).catch(() => undefined);
    await dropHeld(ctx.config.state_dir, { kind: 'freeze', name });
    throw new HelperFailure('failed', `freezing ${shown}: ${errorMessage(error)}`);
  }
  const limitMs = Math.min(maxS, ctx.config.max_freeze_s) * 1000;
  const hold: FreezeHold = { startedAt, timer: setTimeout(() => void autoThaw(ctx, name, hold), limitMs) };
  held.set(name, hold);
  ctx.log.info({ container: name, verb: 'freeze', result: 'ok', limit_ms: limitMs }, 'froze container');
}

// Thaws this session's freeze of `name`.
export async function thawGuest(ctx: HelperContext, held: SessionFreezes, name: string, verb = 'thaw'): Promise<ThawResult> {
  const hold = held.get(name);
  if (!hold) refuse(`this session holds no freeze of ${escapeControl(name)}`);
  clearTimeout(hold.timer);
  if (!hold.thawed) {
    await thawNow(ctx, name);
    hold.thawed = { pausedMs: Date.now() - hold.startedAt, limitHit: false };
    ctx.log.info({ container: name, verb, result: 'ok', paused_ms: hold.thawed.pausedMs }, 'thawed container');
  }
  held.delete(name);
  return { paused_ms: hold.thawed.pausedMs, limit_hit: hold.thawed.limitHit };
}

// Thaws every freeze of a session that ends.
export async function thawAll(ctx: HelperContext, held: SessionFreezes): Promise<void> {
  for (const name of [...held.keys()]) {
    await ctx.locks
      .run(name, () => thawGuest(ctx, held, name, 'thaw-on-close'))
      .catch((error) =>
        ctx.log.error({ container: name, verb: 'thaw-on-close', result: 'failed', error: errorMessage(error) }, 'could not thaw'),
      );
  }
}

async function autoThaw(ctx: HelperContext, name: string, hold: FreezeHold): Promise<void> {
  await ctx.locks.run(name, async () => {
    if (hold.thawed) return;
    try {
      await thawNow(ctx, name);
      hold.thawed = { pausedMs: Date.now() - hold.startedAt, limitHit: true };
      ctx.log.warn(
        { container: name, verb: 'thaw-at-limit', result: 'ok', paused_ms: hold.thawed.pausedMs },
        'thawed container at its limit',
      );
    } catch (error) {
      ctx.log.error({ container: name, verb: 'thaw-at-limit', result: 'failed', error: errorMessage(error) }, 'could not thaw');
    }
  });
}

// lxc-unfreeze, tried twice; the record goes only once the guest runs again.
async function thawNow(ctx: HelperContext, name: string): Promise<void> {
  try {
    await lxcThaw(ctx.lxc, name);
  } catch {
    await lxcThaw(ctx.lxc, name).catch((error) => {
      throw new HelperFailure('failed', `thawing ${escapeControl(name)}: ${errorMessage(error)}`);
    });
  }
  await dropHeld(ctx.config.state_dir, { kind: 'freeze', name });
}
