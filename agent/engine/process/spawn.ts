// The one module that starts processes (execa): argument arrays only, never a shell;
// timeout and cancellation end with SIGTERM, then SIGKILL after a grace period.
import { execa } from 'execa';
import { errnoCode } from '../../core/error-message.js';

export interface SpawnOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  timeoutMs?: number;
  // How long a process gets to stop after SIGTERM before SIGKILL.
  graceMs?: number;
  // Bytes instead of text on stdout.
  binary?: boolean;
  // Write stdout to this file instead of capturing it.
  stdoutFile?: string;
  // Copy stdout/stderr to ours as well (interactive progress).
  echo?: boolean;
  // Called for each complete stdout/stderr line while the process runs.
  onLine?: (line: string) => void;
  // false: stdout is not kept (with onLine, for output whose size the caller does not bound).
  bufferStdout?: boolean;
  maxBuffer?: number;
  // Stream stdout / stderr to these instead of keeping it: the output of a walk over a
  // guest's tree has no useful upper bound, so it must never be held whole.
  onStdout?: (chunk: Buffer) => void;
  onStderr?: (chunk: Buffer) => void;
  // Open file descriptor 3 as a pipe and return what the process wrote to it (duplicity --log-fd=3).
  captureFd3?: boolean;
  // Hand this open file descriptor of ours to the process as its fd 3 (e.g. for `flock 3`).
  passFd3?: number;
  // Written to the process's stdin, which is closed otherwise: a key or passphrase goes here, never in argv.
  input?: string | Buffer;
}

export interface SpawnResult {
  exitCode: number | undefined;
  signal: string | undefined;
  timedOut: boolean;
  canceled: boolean;
  // Set when the program could not be started (e.g. ENOENT).
  startError?: string;
  stdout: string;
  stdoutBytes: Buffer;
  stderr: string;
  // What the process wrote to file descriptor 3 (with captureFd3).
  fd3: string;
}

// Runs `file args` to completion; never rejects for a failing process.
export async function spawnProcess(file: string, args: readonly string[], options: SpawnOptions = {}): Promise<SpawnResult> {
  const lineSink = options.onLine;
  const { onStdout, onStderr } = options;
  const subprocess = execa(file, args, {
    cwd: options.cwd,
    env: options.env,
    extendEnv: true,
    cancelSignal: options.signal,
    timeout: options.timeoutMs,
    forceKillAfterDelay: options.graceMs ?? 30_000,
    killSignal: 'SIGTERM',
    reject: false,
    encoding: options.binary ? 'buffer' : 'utf8',
    maxBuffer: options.maxBuffer ?? 256 * 1024 * 1024,
    buffer: { stdout: !onStdout, stderr: !onStderr },
    ...(options.input !== undefined ? { input: options.input } : {}),
    stdio: [
      options.input !== undefined ? 'pipe' : 'ignore',
      options.stdoutFile ? { file: options.stdoutFile } : options.echo ? ['pipe', 'inherit'] : 'pipe',
      options.echo ? ['pipe', 'inherit'] : 'pipe',
      ...(options.captureFd3 ? ['pipe' as const] : options.passFd3 !== undefined ? [extraFd(options.passFd3)] : []),
    ],
    lines: false,
    ...(options.bufferStdout === false ? { buffer: { stdout: false } } : {}),
  });
  if (lineSink) {
    for (const stream of [subprocess.stdout, subprocess.stderr]) {
      let pending = '';
      stream?.on('data', (chunk: Buffer) => {
        const lines = (pending + chunk.toString('utf8')).split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) lineSink(line);
      });
    }
  }
  if (onStdout) subprocess.stdout?.on('data', (chunk: Buffer) => onStdout(chunk));
  if (onStderr) subprocess.stderr?.on('data', (chunk: Buffer) => onStderr(chunk));
  const result = await subprocess;
  const stdoutBytes = toBuffer(result.stdout);
  const notStarted = result.failed && result.exitCode === undefined && !result.signal && !result.isCanceled && !result.timedOut;
  return {
    exitCode: result.exitCode,
    signal: result.signal,
    timedOut: result.timedOut,
    canceled: result.isCanceled,
    ...(notStarted ? { startError: errnoCode(result.cause) ?? result.shortMessage } : {}),
    stdout: stdoutBytes.toString('utf8'),
    stdoutBytes,
    stderr: toBuffer(result.stderr).toString('utf8'),
    fd3: toBuffer((result.stdio as unknown[])[3]).toString('utf8'),
  };
}

// execa hands a plain integer to child_process.spawn, which dups that descriptor into the
// child (its types list integers for fds 0-2 only; lib/stdio/type.js treats any as 'native').
function extraFd(fd: number): 'pipe' {
  return fd as unknown as 'pipe';
}

function toBuffer(output: unknown): Buffer {
  if (Buffer.isBuffer(output)) return output;
  if (output instanceof Uint8Array) return Buffer.from(output);
  return Buffer.from(typeof output === 'string' ? output : '');
}
