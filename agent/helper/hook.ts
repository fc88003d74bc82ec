// hook: runs the guest's own /etc/lxc-backup/{pre,post}-backup inside the guest, as the guest's
// root, when it is an executable regular file there. The check runs inside the guest too: the
// helper never reads a guest's rootfs from the host. The backup container only picks the phase.
import { escapeControl } from '../core/escape-control.js';
import type { HelperContext } from './context.js';
import { HelperFailure, refuse } from './helper-failure.js';
import { attachArgv, lxcState } from './lxc-commands.js';
import { runBounded } from './run-bounded.js';
import type { SessionState } from './session-state.js';

// The `hook` reply fields.
export interface HookResult {
  ran: boolean;
  exit_code?: number;
  output: string;
  duration_ms: number;
}

// Runs the `phase` hook of `name`, bounded by min(timeoutS, hook_max_s); killed when the session ends.
export async function runHook(
  ctx: HelperContext,
  session: SessionState,
  name: string,
  phase: 'pre' | 'post',
  timeoutS: number,
): Promise<HookResult> {
  const shown = escapeControl(name);
  const state = await lxcState(ctx.lxc, name);
  if (state !== 'RUNNING') refuse(`${shown} is ${escapeControl(state)}: a hook runs only in a RUNNING guest`);
  const path = `/etc/lxc-backup/${phase}-backup`;
  const limitMs = Math.min(timeoutS, ctx.config.hook_max_s) * 1000;
  const started = Date.now();
  const abort = session.abort.signal;
  const check = await runBounded(attachArgv(ctx.config.lxcpath, name, ['/bin/sh', '-c', 'test -f "$1" -a -x "$1"', 'sh', path]), {
    timeoutMs: Math.min(limitMs, ctx.lxc.timeoutMs),
    abort,
  });
  if (check.code === 1) {
    ctx.log.info({ container: name, verb: 'hook', phase, result: 'absent' }, 'no hook in the guest');
    return { ran: false, output: '', duration_ms: Date.now() - started };
  }
  if (check.code !== 0) {
    throw new HelperFailure(
      check.killed ? 'timeout' : 'failed',
      `looking for ${path} in ${shown}: exit ${String(check.code)}: ${check.output.slice(-500)}`,
    );
  }
  const run = await runBounded(attachArgv(ctx.config.lxcpath, name, [path]), {
    timeoutMs: Math.max(1, limitMs - (Date.now() - started)),
    tailBytes: ctx.config.hook_output_bytes,
    abort,
  });
  const durationMs = Date.now() - started;
  if (run.killed) {
    const why = abort.aborted ? 'the session ended' : `it ran past its ${limitMs} ms limit`;
    ctx.log.warn({ container: name, verb: 'hook', phase, result: 'killed', duration_ms: durationMs }, `hook killed: ${why}`);
    throw new HelperFailure('timeout', `${path} in ${shown} was killed: ${why}; its output ended with: ${run.output.slice(-1000)}`);
  }
  ctx.log.info({ container: name, verb: 'hook', phase, result: 'ran', exit_code: run.code, duration_ms: durationMs }, 'ran hook');
  return { ran: true, exit_code: run.code ?? -1, output: run.output, duration_ms: durationMs };
}
