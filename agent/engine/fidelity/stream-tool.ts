// Runs a walker over a guest's tree (find, getfattr) with nothing held whole: stdout goes to a
// file or to a callback chunk by chunk, stderr through a bounded line scanner.
import { spawnProcess } from '../process/spawn.js';
import type { ToolWrap } from '../process/tool-wrap.js';
import { PACKAGES } from './run-tool.js';
import { createStderrScanner, type StderrSummary } from './tool-stderr.js';

// How a walker runs: where, for how long, and where its stdout goes.
export interface StreamToolOptions {
  cwd: string;
  signal?: AbortSignal;
  /** the tool is stopped (SIGTERM, then SIGKILL) after this long */
  timeoutMs?: number;
  /** what the timeout is called in the error message, e.g. the policy key */
  timeoutName?: string;
  /** write stdout to this file */
  stdoutFile?: string;
  /** or hand each stdout chunk to this; a throw stops the tool and fails the run with it */
  onStdout?: (chunk: Buffer) => void;
  /** run it through this (a snapshot's view); messages still name `file` */
  wrap?: ToolWrap | undefined;
}

// Runs `file args`; resolves with its stderr summary when the only complaints were vanished
// files and paths too long for it, throws a one-line error otherwise.
export async function streamTool(file: string, args: string[], opts: StreamToolOptions): Promise<StderrSummary> {
  const stderr = createStderrScanner(file);
  const stop = new AbortController();
  let sinkError: unknown;
  const { onStdout } = opts;
  const call = opts.wrap ? opts.wrap({ file, args }) : { file, args };
  const result = await spawnProcess(call.file, call.args, {
    cwd: opts.cwd,
    signal: opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal,
    ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
    ...(opts.stdoutFile ? { stdoutFile: opts.stdoutFile } : {}),
    ...(onStdout
      ? {
          onStdout: (chunk: Buffer) => {
            if (sinkError !== undefined) return;
            try {
              onStdout(chunk);
            } catch (error) {
              sinkError = error;
              stop.abort();
            }
          },
        }
      : {}),
    onStderr: (chunk) => stderr.push(chunk),
    binary: true,
    graceMs: 5_000,
  });
  if (sinkError !== undefined) throw sinkError;
  if (result.timedOut) {
    const seconds = Math.round((opts.timeoutMs ?? 0) / 1000);
    throw new Error(`${file} in ${opts.cwd} timed out after ${seconds} s${opts.timeoutName ? ` (${opts.timeoutName})` : ''}`);
  }
  if (result.canceled) throw new Error(`${file}: canceled`);
  if (result.startError) {
    if (result.startError === 'ENOENT') throw new Error(`${file} not found: install package ${PACKAGES[file] ?? file}`);
    throw new Error(`${file} in ${opts.cwd}: ${result.startError}`);
  }
  const summary = stderr.end();
  if (result.exitCode !== 0 && (summary.other > 0 || summary.vanished + summary.tooLong === 0)) {
    throw new Error(`${file} in ${opts.cwd} exited with ${result.exitCode ?? result.signal}: ${summary.firstOther ?? 'no message'}`);
  }
  return summary;
}
