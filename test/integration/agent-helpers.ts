// Shared fixtures for the agent integration tests: a temp host root, a policy file, and the
// real agent process (`node --import tsx agent/main.ts agent`, so /proc/PID is the agent
// itself, not npx), stopped by pid after each test.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requestAgent } from '../../agent/control/client.js';
import type { StatusReport } from '../../agent/daemon/status-report.js';
import { makeTempDir, removeDir } from '../support/temp.js';
import { waitFor } from '../support/wait-for.js';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));

export interface AgentWorld {
  dir: string;
  hostRoot: string;
  stateDir: string;
  target: string;
  socket: string;
  policyPath: string;
  env: NodeJS.ProcessEnv;
  remove(): Promise<void>;
}

// The policy text for a world; `extra` is appended (top-level keys not already set).
export function policyText(world: AgentWorld, options: { firstBackup?: string; defaults?: string; extra?: string } = {}): string {
  return [
    'version: 1',
    `host_root: ${world.hostRoot}`,
    `state_dir: ${world.stateDir}`,
    `secrets_file: ${join(world.dir, 'secrets.env')}`,
    'concurrency: 2',
    'defaults:',
    `  target: "file://${world.target}/{name}"`,
    '  encryption: { mode: none }',
    '  schedule: "0 3 * * *"',
    ...(options.defaults ? [options.defaults] : []),
    `new_containers: { settle: 1s, first_backup: ${options.firstBackup ?? 'immediate'} }`,
    options.extra ?? '',
  ].join('\n');
}

// Creates the temp layout; call remove() in afterEach.
export async function makeWorld(prefix: string): Promise<AgentWorld> {
  const dir = await makeTempDir(prefix);
  const world: AgentWorld = {
    dir,
    hostRoot: join(dir, 'host'),
    stateDir: join(dir, 'state'),
    target: join(dir, 'target'),
    socket: join(dir, 'run', 'agent.sock'),
    policyPath: join(dir, 'etc', 'policy.yaml'),
    env: {},
    remove: () => removeDir(dir),
  };
  world.env = { ...process.env, LXC_BACKUP_SOCKET: world.socket };
  for (const sub of [world.hostRoot, world.target, join(dir, 'etc')]) await mkdir(sub, { recursive: true });
  return world;
}

// Writes the policy the way editors do: a temp file renamed over the old one.
export async function writePolicy(world: AgentWorld, text: string): Promise<void> {
  const temp = `${world.policyPath}.tmp`;
  await writeFile(temp, text);
  await rename(temp, world.policyPath);
}

// Creates a container directory with an LXC config and `files` small files in its rootfs.
export async function makeContainer(world: AgentWorld, name: string, files = 3, config = ''): Promise<void> {
  const rootfs = join(world.hostRoot, name, 'rootfs');
  await mkdir(join(rootfs, 'etc'), { recursive: true });
  for (let i = 0; i < files; i += 1) await writeFile(join(rootfs, 'etc', `file-${i}`), `${name} ${i}\n`);
  await writeFile(
    join(world.hostRoot, name, 'config'),
    `lxc.rootfs.path = dir:/var/lib/lxc/${name}/rootfs\nlxc.uts.name = ${name}\n${config}`,
  );
}

export interface AgentProcess {
  pid: number;
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
  // SIGTERM then SIGKILL after `graceMs`; resolves with the exit code.
  stop(graceMs?: number): Promise<number | null>;
}

// Starts the real agent and resolves once it logged "agent ready". `entry` replaces the
// default `--import tsx agent/main.ts` (e.g. node flags and a built bundle).
export async function startAgent(world: AgentWorld, timeoutMs = 15_000, entry?: string[]): Promise<AgentProcess> {
  const child = spawn(
    process.execPath,
    [...(entry ?? ['--import', 'tsx', join(REPO, 'agent/main.ts')]), 'agent', '--policy', world.policyPath],
    {
      cwd: REPO,
      env: world.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let text = '';
  child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let done = false;
  void exited.then(() => (done = true));
  const agent: AgentProcess = {
    pid: child.pid!,
    child,
    output: () => text,
    exited,
    async stop(graceMs = 20_000) {
      if (done) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
  try {
    await waitFor(async () => /"agent ready"/.test(text) || done, timeoutMs, 'agent ready');
  } catch (error) {
    await agent.stop(1000);
    throw new Error(`${(error as Error).message}; output:\n${text}`);
  }
  if (done) throw new Error(`agent exited before it was ready; output:\n${text}`);
  return agent;
}

// The agent's status through its socket.
export async function agentStatus(world: AgentWorld): Promise<StatusReport> {
  const response = await requestAgent(world.socket, { type: 'status' }, { timeoutMs: 3000 });
  if (!response?.ok) throw new Error(`no status: ${JSON.stringify(response)}`);
  return response.status;
}

// The inotify watches a process holds (lines `inotify wd:` in /proc/PID/fdinfo/*).
export async function inotifyWatches(pid: number): Promise<number> {
  let count = 0;
  for (const fd of await readdir(`/proc/${pid}/fdinfo`)) {
    const text = await readFile(`/proc/${pid}/fdinfo/${fd}`, 'utf8').catch(() => '');
    count += text.split('\n').filter((line) => line.startsWith('inotify wd:')).length;
  }
  return count;
}

// The parsed JSON log lines of an agent.
export function logLines(agent: AgentProcess): Array<Record<string, unknown>> {
  return agent
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
