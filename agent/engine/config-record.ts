// The record of each container's host config kept in state_dir/configs/NAME.power: the
// power lines (config-power.ts) and a digest of the whole file, taken at backup time from the
// host's own config. A restore is compared with it on the host (scripts/restore), because the
// restored tree comes back through the backup container and is not trusted there.
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { JobContext } from './job-context.js';
import { extractPowerLines } from './config-power.js';

// An LXC config is a few KiB; anything bigger is not read.
const MAX_CONFIG_BYTES = 1024 * 1024;

export interface ConfigRecord {
  name: string;
  recordedAt: string;
  configSha256: string;
  lines: string[];
}

// A config that could not be read safely, with where and why.
export class ConfigReadError extends Error {
  override name = 'ConfigReadError';
}

// The file a container's record lives in.
export function configRecordPath(stateDir: string, name: string): string {
  return join(stateDir, 'configs', `${name}.power`);
}

// Reads a regular file without following a symlink, blocking on a FIFO or reading more than
// MAX_CONFIG_BYTES; the file is checked both before and after opening it.
export async function readRegularFile(path: string, maxBytes = MAX_CONFIG_BYTES): Promise<Buffer> {
  const before = await lstat(path).catch((error: Error) => {
    throw new ConfigReadError(`${path}: expected a regular file, got ${error.message}`);
  });
  if (!before.isFile()) throw new ConfigReadError(`${path}: expected a regular file, got ${describeType(before)}`);
  const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch((error: Error) => {
    throw new ConfigReadError(`${path}: expected a regular file to open, got ${error.message}`);
  });
  try {
    const info = await handle.stat();
    if (!info.isFile() || info.ino !== before.ino || info.dev !== before.dev)
      throw new ConfigReadError(`${path}: changed while it was opened`);
    if (info.size > maxBytes) throw new ConfigReadError(`${path}: expected at most ${maxBytes} bytes, got ${info.size}`);
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > maxBytes) throw new ConfigReadError(`${path}: expected at most ${maxBytes} bytes, it grew while read`);
    }
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}

function describeType(info: Awaited<ReturnType<typeof lstat>>): string {
  if (info.isSymbolicLink()) return 'a symbolic link';
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a FIFO';
  if (info.isSocket()) return 'a socket';
  return 'a device or other special file';
}

// The record text: two comment lines, then one power line per line.
function formatConfigRecord(record: ConfigRecord): string {
  const head = [
    `# lxc-backup: power lines of ${record.name}'s host config at backup time`,
    `# recorded_at=${record.recordedAt} config_sha256=${record.configSha256}`,
  ];
  return `${[...head, ...record.lines].join('\n')}\n`;
}

// Parses a record file written by saveConfigRecord.
function parseConfigRecord(name: string, text: string): ConfigRecord {
  const lines = text.split('\n').filter((line) => line !== '');
  const meta = /recorded_at=(\S+) config_sha256=([0-9a-f]{64})/.exec(lines[1] ?? '');
  if (!meta)
    throw new ConfigReadError(
      `${name}: expected a config record with recorded_at and config_sha256 on line 2, got ${JSON.stringify(lines[1] ?? '')}`,
    );
  return { name, recordedAt: meta[1]!, configSha256: meta[2]!, lines: lines.filter((line) => !line.startsWith('#')) };
}

// Reads the host config of the container in `ctx` and returns the record to keep once the
// backup succeeds (undefined when the config is not a regular file that could be read).
export async function takeConfigRecord(ctx: JobContext, now = new Date()): Promise<ConfigRecord | undefined> {
  const bytes = await readRegularFile(join(ctx.layout.containerDir, 'config')).catch(() => undefined);
  if (!bytes) return undefined;
  const configSha256 = createHash('sha256').update(bytes).digest('hex');
  return { name: ctx.container.name, recordedAt: now.toISOString(), configSha256, lines: extractPowerLines(bytes.toString('utf8')) };
}

// Writes the record atomically (temp file, fsync, rename), mode 0600.
async function saveConfigRecord(stateDir: string, record: ConfigRecord): Promise<void> {
  const file = configRecordPath(stateDir, record.name);
  await mkdir(join(stateDir, 'configs'), { recursive: true, mode: 0o700 });
  const temp = `${file}.tmp-${process.pid}`;
  const handle = await open(temp, 'w', 0o600);
  try {
    await handle.writeFile(formatConfigRecord(record));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, file).catch(async (error: Error) => {
    await rm(temp, { force: true });
    throw error;
  });
}

// Keeps the record taken before a successful backup. A failure to write it never fails the
// backup: the previous record stays, and a restore that differs from it is refused (safe side).
export async function keepConfigRecord(ctx: JobContext, record: ConfigRecord | undefined): Promise<void> {
  if (record) await saveConfigRecord(ctx.policy.state_dir, record).catch(() => undefined);
}

// The record of container `name`, or undefined when none was ever made.
export async function readConfigRecord(stateDir: string, name: string): Promise<ConfigRecord | undefined> {
  const text = await readFile(configRecordPath(stateDir, name), 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw new ConfigReadError(`${configRecordPath(stateDir, name)}: ${error.message}`);
  });
  return text === undefined ? undefined : parseConfigRecord(name, text);
}
