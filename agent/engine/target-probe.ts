// The reachability probe run before a job: cheap, bounded by a timeout, never throws. It tells
// "the target is down" apart from everything else in a few seconds instead of duplicity's
// minutes of retries, so the daemon can park the job without holding a slot.
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import type { ProbeResult } from '../core/job.js';
import { errnoCode, errorMessage } from '../core/error-message.js';
import type { TargetEndpoint } from '../policy/target-endpoint.js';

// Checks one endpoint: a directory exists and is writable, or a server accepts a TCP connection.
export async function probeTarget(endpoint: TargetEndpoint, timeoutMs: number, signal?: AbortSignal): Promise<ProbeResult> {
  const target = endpoint.key;
  const timeout = AbortSignal.timeout(timeoutMs);
  const stop = signal ? AbortSignal.any([signal, timeout]) : timeout;
  const why = (): string => (timeout.aborted ? `no answer within ${timeoutMs / 1000} s (target_probe_timeout)` : 'probe cancelled');
  const check = endpoint.kind === 'directory' ? checkDirectory(endpoint.path) : checkTcp(endpoint.host, endpoint.port, stop, why);
  // A hung NFS stat cannot be cancelled; the race at least frees the job.
  let onAbort = (): void => undefined;
  const stopped = new Promise<string>((resolve) => {
    onAbort = () => resolve(why());
    if (stop.aborted) onAbort();
    else stop.addEventListener('abort', onAbort, { once: true });
  });
  const problem = await Promise.race([check, stopped]);
  stop.removeEventListener('abort', onAbort);
  return problem === undefined ? { ok: true, target } : { ok: false, target, message: `target ${target} is unreachable: ${problem}` };
}

// undefined when `path`, or else its nearest existing ancestor, is a directory this process
// may create entries in: duplicity creates a file:// target's missing directories itself, so a
// target not made yet (a new container, a fresh install) is not a target that is down.
async function checkDirectory(path: string): Promise<string | undefined> {
  let current = path;
  for (;;) {
    try {
      const info = await stat(current);
      const shown = current === path ? path : `${current} (the nearest existing part of ${path})`;
      if (!info.isDirectory()) return `expected a directory at ${shown}, found ${info.isFile() ? 'a file' : 'another kind of file'}`;
      await access(current, constants.W_OK | constants.X_OK);
      return undefined;
    } catch (error) {
      const code = errnoCode(error);
      const parent = dirname(current);
      if (code === 'ENOENT' && parent !== current) {
        current = parent;
        continue;
      }
      if (code === 'ENOENT') return `expected a directory at ${path}, found nothing`;
      if (code === 'EROFS') return `${current} is on a read-only file system`;
      if (code === 'EACCES') return `${current} is not writable`;
      return `${current}: ${errorMessage(error)}`;
    }
  }
}

// undefined once host:port accepts a connection (closed again at once).
function checkTcp(host: string, port: number, signal: AbortSignal, why: () => string): Promise<string | undefined> {
  if (signal.aborted) return Promise.resolve(why());
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (problem: string | undefined): void => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(problem);
    };
    const onAbort = (): void => done(why());
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => done(undefined));
    socket.once('error', (error) => done(`cannot connect to ${host}:${port}: ${errnoCode(error) ?? errorMessage(error)}`));
  });
}
