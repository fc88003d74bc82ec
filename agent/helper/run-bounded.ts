// Runs one host command with a hard time limit: the child gets its own process group, and at
// the limit (or when the caller aborts) the whole group is killed. Output is never buffered
// whole: only its tail is kept. No shell: every command is an argument array.
import { spawn } from 'node:child_process';
import { HelperFailure } from './helper-failure.js';
import { OutputTail } from './output-tail.js';

// How a bounded command ended.
export interface RunResult {
  // The exit code, or undefined when a signal ended it.
  code: number | undefined;
  // True when the time limit or the abort signal killed it.
  killed: boolean;
  // stdout and stderr together, the last `tailBytes` of it, control characters escaped.
  output: string;
  durationMs: number;
}

// Limits of one command.
export interface RunOptions {
  timeoutMs: number;
  tailBytes?: number;
  abort?: AbortSignal;
}

// A plain PATH for children: the helper never inherits one from whoever started it.
const PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

// Runs argv[0] with argv[1..]; resolves when it ended (never rejects on a failing command).
export function runBounded(argv: readonly string[], options: RunOptions): Promise<RunResult> {
  const [file, ...args] = argv;
  if (!file) return Promise.reject(new Error('runBounded: empty argv'));
  const started = Date.now();
  const tail = new OutputTail(options.tailBytes ?? 4096);
  return new Promise((resolve) => {
    const child = spawn(file, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { PATH, LANG: 'C' } });
    let killed = false;
    const killGroup = (): void => {
      killed = true;
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // The group is gone already.
      }
    };
    const timer = setTimeout(killGroup, options.timeoutMs);
    options.abort?.addEventListener('abort', killGroup, { once: true });
    child.stdout.on('data', (chunk: Buffer) => tail.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => tail.push(chunk));
    let done = false;
    const finish = (code: number | undefined): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      options.abort?.removeEventListener('abort', killGroup);
      resolve({ code, killed, output: tail.text(), durationMs: Date.now() - started });
    };
    child.once('error', (error) => {
      tail.push(Buffer.from(`${file}: ${error.message}`));
      finish(undefined);
    });
    // 'close' waits for the pipes, which a process outside the group (one lxc-attach started
    // in the guest) may hold open: a second after the child exits, stop waiting for them.
    child.once('close', (code) => finish(code ?? undefined));
    child.once('exit', (code) => {
      setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        finish(code ?? undefined);
      }, 1000).unref();
    });
  });
}

// Runs a command that must succeed; throws a HelperFailure (`timeout` when it was killed at its
// limit, `failed` otherwise) with its output tail.
export async function runChecked(argv: readonly string[], options: RunOptions): Promise<RunResult> {
  const result = await runBounded(argv, options);
  if (result.code !== 0) {
    const how = result.killed ? `was killed at its ${options.timeoutMs} ms limit` : `exited ${String(result.code)}`;
    throw new HelperFailure(result.killed ? 'timeout' : 'failed', `${argv.join(' ')} ${how}: ${result.output.trim().slice(-500)}`);
  }
  return result;
}
