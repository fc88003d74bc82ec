// The owner marker on a remote target (s3, sftp, b2), through duplicity's own backend classes
// (marker-io.py) with the environment duplicity gets, so credentials stay out of argv.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { duplicityEnv } from '../duplicity/argv.js';
import type { JobContext } from '../job-context.js';
import { duplicityPython } from '../duplicity/python.js';
import { spawnProcess } from '../process/spawn.js';
import type { TargetMarkerState } from './marker-file.js';
import script from './marker-io.py.text.js';

const TIMEOUT_MS = 120_000;

// Reads the marker of the container's remote target.
export async function readRemoteMarker(ctx: JobContext): Promise<TargetMarkerState> {
  const stdout = await runMarkerIo(ctx, ['get']);
  let answer: { marker?: unknown; other_files?: unknown };
  try {
    answer = JSON.parse(stdout) as typeof answer;
  } catch {
    throw new Error(
      `reading the owner marker of ${ctx.container.target}: expected JSON from marker-io.py, got ${JSON.stringify(stdout.slice(0, 100))}`,
    );
  }
  return { text: typeof answer.marker === 'string' ? answer.marker : undefined, otherFiles: Number(answer.other_files) > 0 };
}

// Uploads `text` as the marker of the container's remote target.
export async function writeRemoteMarker(ctx: JobContext, text: string): Promise<void> {
  const local = join(ctx.layout.tempDir, `owner-marker.${process.pid}.${Date.now()}.json`);
  await mkdir(ctx.layout.tempDir, { recursive: true, mode: 0o700 });
  await writeFile(local, text, { mode: 0o600, flag: 'wx' });
  try {
    await runMarkerIo(ctx, ['put'], local);
  } finally {
    await rm(local, { force: true });
  }
}

// Runs marker-io.py `action` on the container's target; `what` names the task in errors.
export async function runMarkerIo(ctx: JobContext, action: string[], local?: string, what?: string): Promise<string> {
  const { settings, target } = ctx.container;
  const ssh = [
    ...(settings.sftp.identity_file ? [`-oIdentityFile=${settings.sftp.identity_file}`] : []),
    ...(settings.sftp.known_hosts_file ? [`-oUserKnownHostsFile=${settings.sftp.known_hosts_file}`] : []),
  ];
  const options = {
    s3_endpoint_url: settings.s3.endpoint_url ?? null,
    s3_region_name: settings.s3.region ?? null,
    ssh_options: ssh.length ? ssh.join(' ') : null,
    num_retries: 2,
  };
  const args = ['-c', script, action[0] ?? '', target, JSON.stringify(options), ...action.slice(1), ...(local ? [local] : [])];
  const result = await spawnProcess(await duplicityPython(), args, {
    env: { ...duplicityEnv(ctx), LC_ALL: 'C.UTF-8', TZ: 'UTC' },
    timeoutMs: TIMEOUT_MS,
    graceMs: 5_000,
  });
  if (result.exitCode === 0) return result.stdout;
  const why = result.startError ?? (result.timedOut ? `timed out after ${TIMEOUT_MS / 1000} s` : lastLine(result.stderr));
  throw new Error(`${what ?? `${action[0] === 'get' ? 'reading' : 'writing'} the owner marker`} of ${target}: ${why}`);
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1)?.slice(0, 300) || 'no message';
}
