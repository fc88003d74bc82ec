// boot-test: starts a restored tree (under the restore scratch) as a temporary container with no
// network, and reports whether its init came up within the time limit: systemd answers
// `is-system-running` with running or degraded, or another init stays alive boot_settle_s.
// The container is stopped and removed whatever happened, also when the session ends.
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage } from '../core/error-message.js';
import { escapeControl } from '../core/escape-control.js';
import { type BootContainer, makeBootContainer, removeBootContainer, START_LOG } from './boot-container.js';
import type { HelperContext } from './context.js';
import { HelperFailure } from './helper-failure.js';
import { attachArgv } from './lxc-commands.js';
import { runBounded } from './run-bounded.js';
import { openDirBeneath } from './safe-dir.js';
import type { SessionState } from './session-state.js';

// The `boot-test` reply fields.
export interface BootResult {
  booted: boolean;
  detail: string;
  duration_ms: number;
}

// Boot-tests <restore_root>/<dir>/rootfs within timeoutS.
export async function bootTest(ctx: HelperContext, session: SessionState, dir: string, timeoutS: number): Promise<BootResult> {
  const started = Date.now();
  const rootfs = await openDirBeneath(ctx.config.restore_root, `${dir}/rootfs`);
  let container: BootContainer | undefined;
  let result: { booted: boolean; detail: string };
  try {
    container = await makeBootContainer(ctx, rootfs);
    result = await startAndWatch(ctx, session.abort.signal, container, started + timeoutS * 1000);
  } catch (error) {
    throw error instanceof HelperFailure
      ? error
      : new HelperFailure('failed', `boot-test of ${escapeControl(dir)}: ${errorMessage(error)}`);
  } finally {
    await rootfs.close();
    if (container) await removeBootContainer(ctx, container.lxcpath, container.name);
  }
  const durationMs = Date.now() - started;
  ctx.log.info(
    { verb: 'boot-test', dir, result: result.booted ? 'booted' : 'failed', detail: result.detail, duration_ms: durationMs },
    'boot test done',
  );
  return { ...result, duration_ms: durationMs };
}

async function startAndWatch(
  ctx: HelperContext,
  abort: AbortSignal,
  container: BootContainer,
  deadline: number,
): Promise<{ booted: boolean; detail: string }> {
  const { name, lxcpath } = container;
  const bounded = (argv: string[]) =>
    runBounded(argv, { timeoutMs: Math.max(1000, Math.min(ctx.lxc.timeoutMs, deadline - Date.now())), abort });
  const logFile = join(lxcpath, name, START_LOG);
  const start = await bounded(['lxc-start', '-P', lxcpath, '-n', name, '--logfile', logFile, '--logpriority', 'ERROR']);
  if (start.code !== 0) return { booted: false, detail: `lxc-start failed (exit ${String(start.code)}): ${await logErrors(logFile)}` };
  const upSince = Date.now();
  let last = 'no answer yet';
  while (Date.now() < deadline && !abort.aborted) {
    const state = (await bounded(['lxc-info', '-P', lxcpath, '-n', name, '-s', '-H'])).output.trim();
    const pid = (await bounded(['lxc-info', '-P', lxcpath, '-n', name, '-p', '-H'])).output.trim();
    if (state !== 'RUNNING' || !pid)
      return { booted: false, detail: `init ended: the container is ${escapeControl(state ?? '?')} (last seen: ${last})` };
    // The kernel's name of pid 1, read on the host: systemd or some other init.
    const init = (await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '')).trim();
    if (init === 'systemd') {
      const answer = await bounded(attachArgv(lxcpath, name, ['systemctl', 'is-system-running']));
      last = `systemd is ${answer.output.trim().split('\n')[0] ?? ''}`;
      if (/^(running|degraded)$/.test(answer.output.trim())) return { booted: true, detail: last };
    } else {
      last = `init ${escapeControl(init)} alive for ${Math.round((Date.now() - upSince) / 1000)} s`;
      if (Date.now() - upSince >= ctx.config.boot_settle_s * 1000) return { booted: true, detail: last };
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return { booted: false, detail: abort.aborted ? 'the session ended' : `not up within the time limit (last seen: ${last})` };
}

// The first errors of LXC's own log of the start (the helper's file, read up to 16 KiB), escaped:
// the cause comes first, the "failed to start" lines after it.
async function logErrors(path: string): Promise<string> {
  const file = await open(path, 'r').catch(() => undefined);
  if (!file) return 'no log';
  try {
    const buffer = Buffer.alloc(16 * 1024);
    const { bytesRead } = await file.read(buffer, 0, buffer.length, 0);
    const errors = buffer
      .subarray(0, bytesRead)
      .toString('utf8')
      .split('\n')
      .filter((line) => line.includes('ERROR'));
    return escapeControl(errors.slice(0, 2).join(' | ').slice(0, 600)) || 'no error logged';
  } finally {
    await file.close();
  }
}
