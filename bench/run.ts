// The one place the bench starts processes: argument arrays only, timed, failures with the
// command and the tail of its stderr.
import { execa, type Options } from 'execa';

// A finished command: wall seconds and its output.
export interface Timed {
  seconds: number;
  stdout: string;
  stderr: string;
}

// Runs `file args`, throws when it exits non-zero; returns the wall time in seconds.
export async function timed(file: string, args: readonly string[], options: Options = {}): Promise<Timed> {
  const started = process.hrtime.bigint();
  const result = await execa(file, args, { reject: false, stdin: 'ignore', ...options });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.exitCode !== 0) {
    const tail = String(result.stderr ?? '')
      .split('\n')
      .slice(-8)
      .join('\n');
    throw new Error(`${file} ${args.join(' ')} exited with ${result.exitCode ?? result.signal}:\n${tail}`);
  }
  return { seconds, stdout: String(result.stdout ?? ''), stderr: String(result.stderr ?? '') };
}

// Writes dirty pages out before the next contender is timed: a full backup leaves ~400 MB of
// target files in the page cache, and whoever runs next would otherwise pay for their
// writeback (equal settings measured 0.89-1.00x the loop on their own, 0.95-1.09x right
// after another contender).
export async function flushWrites(): Promise<void> {
  await timed('sync', []);
}

// Sleeps; the bench waits for processes to settle between measurements.
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// 1-minute load average, recorded next to each measurement (other work may share the machine).
export async function loadAverage(): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  return Number((await readFile('/proc/loadavg', 'utf8')).split(' ')[0]);
}
