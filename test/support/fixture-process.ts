// Runs a long-lived fixture process (sshd, s3rver) owned by the test: ready on a log line, stopped by pid.
import { execa } from 'execa';

// A running fixture process and the one way to end it.
export interface FixtureProcess {
  pid: number;
  // Last few KiB of the process's stdout+stderr, for error messages.
  output(): string;
  // SIGTERM to this pid only, SIGKILL after a grace period; resolves once the process is reaped.
  stop(): Promise<void>;
}

// What the fixture process must print before it counts as ready.
export interface FixtureProcessOptions {
  ready: RegExp;
  timeoutMs?: number;
  env?: Record<string, string>;
}

const KEEP_OUTPUT = 8192;
const STOP_GRACE_MS = 3000;

// Starts `file args` and resolves when `ready` matches its output; rejects with the output if it exits or times out first.
export async function startFixtureProcess(file: string, args: string[], options: FixtureProcessOptions): Promise<FixtureProcess> {
  const child = execa(file, args, {
    stdin: 'ignore',
    buffer: false,
    reject: false,
    // Kill the fixture if the test process itself dies without calling stop().
    cleanup: true,
    ...(options.env ? { env: options.env } : {}),
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`Expected ${file} to start, got no pid`);
  const timeoutMs = options.timeoutMs ?? 10_000;
  let tail = '';
  let exited = false;
  const done = child.then(() => {
    exited = true;
  });

  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`${file} not ready within ${timeoutMs} ms; output:\n${tail}`));
    }, timeoutMs);
    const onData = (chunk: Buffer): void => {
      tail = (tail + chunk.toString('utf8')).slice(-KEEP_OUTPUT);
      if (options.ready.test(tail)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void done.then(() => {
      clearTimeout(timer);
      reject(new Error(`${file} exited before it was ready; output:\n${tail}`));
    });
  });
  const stop = async (): Promise<void> => {
    if (exited) return;
    signal(pid, 'SIGTERM');
    const timer = setTimeout(() => {
      if (!exited) signal(pid, 'SIGKILL');
    }, STOP_GRACE_MS);
    await done;
    clearTimeout(timer);
  };

  try {
    await ready;
  } catch (error) {
    await stop();
    throw error;
  }
  return { pid, output: () => tail, stop };
}

// True while a process with this pid exists (signal 0 probes without delivering anything).
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// Sends a signal, ignoring a process that already exited between our check and the kill.
function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}
