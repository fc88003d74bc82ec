// Real-LXC fixtures for the e2e tests: unique container names, busybox workloads without a
// network, commands inside the backup container, and cleanup of everything a run created.
import { execa, type Result } from 'execa';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));

// Where e2e work directories go (makeTempDir's parent): they hold rootfs trees and backups,
// so on disk rather than in a /tmp that may be a small tmpfs.
export const E2E_WORK_PARENT = '/var/tmp';

// How often e2e tests poll (waitFor's intervalMs): each look runs lxc-attach in the backup container.
export const E2E_POLL_MS = 1000;

// Why the e2e suite cannot run here, or undefined when it can (root and LXC present).
export function e2eSkipReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'e2e tests need root (they create LXC containers): run sudo ./scripts/test';
  const lxcCreate = ['/usr/bin/lxc-create', '/usr/sbin/lxc-create', '/usr/local/bin/lxc-create'].some((p) => existsSync(p));
  if (!lxcCreate) return 'e2e tests need LXC (lxc-create not found): apt-get install lxc debootstrap busybox-static';
  return undefined;
}

// A prefix no other run uses; every container a run creates starts with it
// ($LXCB_E2E_PREFIX instead of lxcb-e2e tells apart runs that share a host).
export function uniquePrefix(): string {
  return `${process.env.LXCB_E2E_PREFIX ?? 'lxcb-e2e'}-${randomBytes(3).toString('hex')}`;
}

// Runs a command, never throwing: tests assert on exitCode, stdout and stderr.
export async function sh(file: string, args: string[], options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<Result> {
  return execa(file, args, {
    reject: false,
    timeout: options.timeoutMs ?? 120_000,
    stdin: 'ignore',
    ...(options.env ? { env: options.env } : {}),
  });
}

// Runs a command and throws with its output when it fails.
export async function mustRun(file: string, args: string[], options: { timeoutMs?: number } = {}): Promise<Result> {
  const result = await sh(file, args, options);
  if (result.exitCode !== 0) {
    throw new Error(`${file} ${args.join(' ')} exited ${String(result.exitCode)}:\n${String(result.stdout)}\n${String(result.stderr)}`);
  }
  return result;
}

// Runs `args` inside a container with a plain PATH (lxc-attach keeps the host's otherwise).
export function attach(container: string, args: string[], options: { timeoutMs?: number } = {}): Promise<Result> {
  return sh(
    'lxc-attach',
    ['-n', container, '--clear-env', '--set-var', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', '--', ...args],
    options,
  );
}

export async function lxcpath(): Promise<string> {
  return String((await mustRun('lxc-config', ['lxc.lxcpath'])).stdout).trim();
}

// Creates a stopped busybox container with no network device.
export async function createBusybox(name: string, workDir: string): Promise<string> {
  const conf = join(workDir, 'net-none.conf');
  await writeFile(conf, 'lxc.net.0.type = empty\n');
  await mustRun('lxc-create', ['-n', name, '-t', 'busybox', '-f', conf]);
  return join(await lxcpath(), name, 'rootfs');
}

// Stops (hard) and destroys every container whose name starts with `prefix`.
export async function destroyAll(prefix: string): Promise<string[]> {
  const names = String((await sh('lxc-ls', ['-1'])).stdout)
    .split(/\s+/)
    .filter((n) => n.startsWith(prefix));
  for (const name of names) {
    await sh('lxc-stop', ['-n', name, '-k'], { timeoutMs: 60_000 });
    await sh('lxc-destroy', ['-n', name], { timeoutMs: 120_000 });
  }
  return names;
}

// The agent's status report, or undefined while it does not answer.
export interface ContainerRow {
  name: string;
  state: string;
  last_success: string | null;
  last_error: string | null;
  next_run: string | null;
  orphaned_since: string | null;
}
export interface StatusJson {
  policy: { path: string; valid: boolean; error: string | null };
  containers: ContainerRow[];
}
export async function agentStatus(backupCt: string): Promise<StatusJson | undefined> {
  const result = await attach(backupCt, ['lxc-backup', 'status', '--json'], { timeoutMs: 20_000 });
  if (result.exitCode !== 0) return undefined;
  return JSON.parse(String(result.stdout)) as StatusJson;
}

// The agent's recent journal, for failure messages.
export async function agentJournal(backupCt: string): Promise<string> {
  const result = await attach(backupCt, ['journalctl', '-u', 'lxc-backup', '-n', '60', '--no-pager', '-o', 'cat']);
  return `${String(result.stdout)}${String(result.stderr)}`;
}

// Runs a command and notes when each output line (stdout and stderr) arrived, in ms from
// the start, so a test can tell streamed output from output held back until the end.
export async function timedRun(
  file: string,
  args: string[],
  timeoutMs = 300_000,
): Promise<{ code: number | undefined; lines: Array<{ at: number; text: string }>; exitAt: number }> {
  const started = Date.now();
  const child = execa(file, args, { reject: false, timeout: timeoutMs, stdin: 'ignore', all: true, buffer: false });
  const lines: Array<{ at: number; text: string }> = [];
  let pending = '';
  child.all?.on('data', (chunk: Buffer) => {
    const parts = (pending + chunk.toString()).split('\n');
    pending = parts.pop() ?? '';
    for (const text of parts) lines.push({ at: Date.now() - started, text });
  });
  const result = await child;
  if (pending) lines.push({ at: Date.now() - started, text: pending });
  return { code: result.exitCode, lines, exitAt: Date.now() - started };
}

// The bridge the host's LXC default (/etc/lxc/default.conf) names when it does not exist.
export async function missingDefaultBridge(): Promise<string | undefined> {
  const text = await readFile('/etc/lxc/default.conf', 'utf8').catch(() => '');
  const link = /^\s*lxc\.net\.0\.link\s*=\s*(\S+)\s*$/m.exec(text)?.[1];
  return link && !existsSync(`/sys/class/net/${link}`) ? link : undefined;
}
