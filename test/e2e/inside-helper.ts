// The host helper as the backup container meets it on real LXC: the real helper bundle started
// on the host as a child process (with the config provision wrote), and sessions opened from
// INSIDE the backup container over the bind-mounted socket, by a tiny node client run with
// lxc-attach that pipes request lines in and reply lines out.
import { execa, type ResultPromise } from 'execa';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { HELPER_SOCKET_IN_CONTAINER } from '../../agent/core/helper-protocol.js';
import { type FixtureProcess, startFixtureProcess } from '../support/fixture-process.js';
import { REPO, sh } from './lxc.js';

// Starts dist/lxc-backup-helper.mjs with provision's config file; `stateDir` keeps its hold
// records away from the host's own (another run's helper may use the default).
export function startHostHelper(configFile: string, stateDir: string): Promise<FixtureProcess> {
  return startFixtureProcess('node', [join(REPO, 'dist/lxc-backup-helper.mjs'), '--config', configFile, '--state-dir', stateDir], {
    ready: /host helper listening/,
    timeoutMs: 60_000,
  });
}

// The client run inside the backup container: stdin lines to the socket, socket lines to
// stdout; the end of stdin ends the session.
const CLIENT = [
  "const s = require('node:net').connect(process.argv[1]);",
  "s.on('error', (e) => { process.stderr.write(String(e)); process.exit(3); });",
  'process.stdin.pipe(s);',
  's.pipe(process.stdout);',
  "s.on('close', () => process.exit(0));",
].join(' ');

// A helper session held from inside the backup container.
export interface InsideSession {
  // Sends one request (any object: the helper, not this client, validates) and resolves with its reply.
  request(message: object): Promise<Record<string, unknown>>;
  // Ends the session (the helper then undoes what it held) and waits for the client to exit.
  close(): Promise<void>;
}

// Opens a session from inside `agentCt` to the helper's socket at its in-container path.
export function openInsideSession(agentCt: string): InsideSession {
  const child: ResultPromise = execa(
    'lxc-attach',
    [
      '-n',
      agentCt,
      '--clear-env',
      '--set-var',
      'PATH=/usr/local/bin:/usr/bin:/bin',
      '--',
      'node',
      '-e',
      CLIENT,
      HELPER_SOCKET_IN_CONTAINER,
    ],
    { stdin: 'pipe', buffer: false, reject: false, timeout: 120_000, cleanup: true },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const waiting: ((line: string | undefined) => void)[] = [];
  const lines: string[] = [];
  let ended = false;
  if (!child.stdout) throw new Error('lxc-attach: expected a stdout pipe, found none');
  const reader = createInterface({ input: child.stdout });
  reader.on('line', (line) => {
    const next = waiting.shift();
    if (next) next(line);
    else lines.push(line);
  });
  reader.on('close', () => {
    ended = true;
    for (const next of waiting.splice(0)) next(undefined);
  });
  let id = 0;
  return {
    async request(message) {
      child.stdin?.write(`${JSON.stringify({ id: ++id, ...message })}\n`);
      const line = lines.shift() ?? (ended ? undefined : await new Promise<string | undefined>((resolve) => waiting.push(resolve)));
      if (line === undefined) throw new Error(`the client in ${agentCt} ended without a reply to ${JSON.stringify(message)}: ${stderr}`);
      return JSON.parse(line) as Record<string, unknown>;
    },
    async close() {
      child.stdin?.end();
      const result = await child;
      if (result.exitCode !== 0) throw new Error(`the client in ${agentCt} exited ${String(result.exitCode)}: ${stderr}`);
    },
  };
}

// A guest's freezer state as the helper reads it: on cgroup v1 freezer.state (THAWED, FREEZING,
// FROZEN; lxc-info says RUNNING for a guest frozen that way), else lxc-info's state.
export async function freezerState(name: string): Promise<string> {
  const args = existsSync('/sys/fs/cgroup/freezer') ? ['lxc-cgroup', '-n', name, 'freezer.state'] : ['lxc-info', '-n', name, '-s', '-H'];
  const result = await sh(args[0] ?? '', args.slice(1));
  return String(result.stdout).trim();
}
