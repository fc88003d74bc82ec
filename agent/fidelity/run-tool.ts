// The only place in fidelity/ that spawns processes: runs a tool and tolerates files vanishing
// mid-walk (a running container keeps changing while we read it).
import { execa } from 'execa';

// Which package provides each tool we call, for the "not found" message.
const PACKAGES: Record<string, string> = { getfattr: 'attr', find: 'findutils', bash: 'bash' };

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
  const result = await execa(file, args, {
    cwd: opts.cwd,
    cancelSignal: opts.signal,
    reject: false,
    encoding: 'buffer',
    maxBuffer: 2 ** 30,
    stdin: 'ignore',
    stdout: opts.stdoutFile === undefined ? 'pipe' : { file: opts.stdoutFile },
  });
  if (result.isCanceled) throw new Error(`${file}: canceled`);
  const stderr = Buffer.from(result.stderr ?? []).toString('utf8').trim();
  if (result.failed && result.exitCode === undefined) {
    const code = (result.cause as NodeJS.ErrnoException | undefined)?.code;
    if (code === 'ENOENT') throw new Error(`${file} not found: install package ${PACKAGES[file] ?? file}`);
    throw new Error(`${file} in ${opts.cwd}: ${result.shortMessage}`);
  }
  if (result.exitCode !== 0) {
    const lines = stderr.split('\n').filter((l) => l !== '');
    const real = lines.filter((l) => !l.endsWith('No such file or directory'));
    if (opts.strict || lines.length === 0 || real.length > 0) {
      // A script's reason is its last line; a walker's first real complaint is the telling one.
      const why = opts.strict ? lines.at(-1) : real[0];
      throw new Error(`${file} in ${opts.cwd} exited with ${result.exitCode}: ${why ?? 'no message'}`);
    }
  }
  return Buffer.from(result.stdout ?? []);
}
