// A running `lxc-backup agent`: its pid, its pino log lines as they arrive, and a way to
// wait for one of them.
import { execa, type ResultPromise } from 'execa';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

// One pino line (only the fields the bench reads).
export interface LogLine {
  time: number;
  msg: string;
  container?: string;
  startup_ms?: number;
  [key: string]: unknown;
}

export interface AgentProcess {
  pid: number;
  // Wall-clock ms (Date.now()) when the process was spawned.
  spawnedAt: number;
  lines: LogLine[];
  // Resolves with the first line (already seen or yet to come) that matches.
  waitFor(match: (line: LogLine) => boolean, timeoutMs: number, what: string): Promise<LogLine>;
  // SIGTERM and wait for the exit.
  stop(): Promise<void>;
}

// Starts the built agent with `policy`, its control socket at `socket`, the way the systemd
// unit does: through the shipped CLI wrapper, which passes the agent's V8 flags (it execs
// node, so the pid is the agent's).
export function startAgent(repo: string, policy: string, socket: string): AgentProcess {
  const spawnedAt = Date.now();
  const child: ResultPromise = execa(join(repo, 'templates', 'lxc-backup.sh'), ['agent', '--policy', policy], {
    env: { LXC_BACKUP_SOCKET: socket, LXC_BACKUP_BUNDLE: join(repo, 'dist', 'lxc-backup.mjs') },
    reject: false,
    stdin: 'ignore',
    buffer: false,
  });
  const lines: LogLine[] = [];
  const waiters = new Set<() => void>();
  createInterface({ input: child.stdout! }).on('line', (text) => {
    try {
      // pino writes `time` as an ISO string (stdTimeFunctions.isoTime): keep epoch ms.
      const line = JSON.parse(text) as LogLine & { time: string | number };
      lines.push({ ...line, time: typeof line.time === 'number' ? line.time : Date.parse(line.time) } as LogLine);
    } catch {
      lines.push({ time: Date.now(), msg: text });
    }
    for (const wake of waiters) wake();
  });
  child.stderr?.resume();
  let exited = false;
  void child.then(() => {
    exited = true;
    for (const wake of waiters) wake();
  });
  return {
    pid: child.pid!,
    spawnedAt,
    lines,
    waitFor(match, timeoutMs, what) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const found = lines.find(match);
          if (found) done(() => resolve(found));
          else if (exited)
            done(() => reject(new Error(`the agent exited while waiting for ${what}; last lines: ${JSON.stringify(lines.slice(-3))}`)));
        };
        const timer = setTimeout(() => done(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`))), timeoutMs);
        const done = (then: () => void): void => {
          clearTimeout(timer);
          waiters.delete(check);
          then();
        };
        waiters.add(check);
        check();
      });
    },
    async stop() {
      if (!exited) child.kill('SIGTERM');
      await child;
    },
  };
}
