// Runs the fidelity tools and tolerates files vanishing mid-walk (a running container keeps
// changing while we read it).
import { spawnProcess } from '../process/spawn.js';

// Which package provides each tool we call, for the "not found" message.
export const PACKAGES: Record<string, string> = { getfattr: 'attr', find: 'findutils', bash: 'bash' };

// Options shared by the fidelity tools.
export interface RunToolOptions {
  cwd: string;
  signal?: AbortSignal;
  /** write stdout to this file instead of returning it */
  stdoutFile?: string;
  /** any non-zero exit fails (no tolerance for vanished files) */
  strict?: boolean;
}

// Runs `file args` and returns stdout as bytes; throws a one-line error unless the only
// complaints were "No such file or directory" (a file deleted between readdir and stat).
export async function runTool(file: string, args: string[], opts: RunToolOptions): Promise<Buffer> {
  const result = await spawnProcess(file, args, {
    cwd: opts.cwd,
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.stdoutFile ? { stdoutFile: opts.stdoutFile } : {}),
    binary: true,
    maxBuffer: 2 ** 30,
    graceMs: 5_000,
  });
  if (result.canceled) throw new Error(`${file}: canceled`);
  if (result.startError) {
    if (result.startError === 'ENOENT') throw new Error(`${file} not found: install package ${PACKAGES[file] ?? file}`);
    throw new Error(`${file} in ${opts.cwd}: ${result.startError}`);
  }
  const stderr = result.stderr.trim();
  if (result.exitCode !== 0) {
    const lines = stderr.split('\n').filter((l) => l !== '');
    const real = lines.filter((l) => !l.endsWith('No such file or directory'));
    if (opts.strict || lines.length === 0 || real.length > 0) {
      // A script's reason is its last line; a walker's first real complaint is the telling one.
      const why = opts.strict ? lines.at(-1) : real[0];
      throw new Error(`${file} in ${opts.cwd} exited with ${result.exitCode ?? result.signal}: ${why ?? 'no message'}`);
    }
  }
  return result.stdoutBytes;
}
