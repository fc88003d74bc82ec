// The record of each container's host config kept in state_dir/configs/NAME.power: the
// power lines (config-power.ts) and a digest of the whole file, taken at backup time from the
// host's own config. A restore is compared with it on the host (scripts/restore), because the
// restored tree comes back through the backup container and is not trusted there.
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { JobContext } from './job-context.js';
import { readConfigFile } from '../discovery/read-config.js';
import { extractPowerLines } from './config-power.js';
import { errnoCode, errorMessage } from '../core/error-message.js';

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
  const [, recordedAt = '', configSha256 = ''] = meta;
  return { name, recordedAt, configSha256, lines: lines.filter((line) => !line.startsWith('#')) };
}

// Reads the host config of the container in `ctx` and returns the record to keep once the
// backup succeeds (undefined when the config is not a regular file that could be read).
export async function takeConfigRecord(ctx: JobContext, now = new Date()): Promise<ConfigRecord | undefined> {
  // Read the way discovery reads it: a regular file only, never through a symlink, bounded.
  const read = await readConfigFile(join(ctx.layout.containerDir, 'config'));
  if (!('text' in read)) return undefined;
  const configSha256 = createHash('sha256').update(read.text).digest('hex');
  return { name: ctx.container.name, recordedAt: now.toISOString(), configSha256, lines: extractPowerLines(read.text) };
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
  await rename(temp, file).catch(async (error: unknown) => {
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
  const text = await readFile(configRecordPath(stateDir, name), 'utf8').catch((error: unknown) => {
    if (errnoCode(error) === 'ENOENT') return undefined;
    throw new ConfigReadError(`${configRecordPath(stateDir, name)}: ${errorMessage(error)}`);
  });
  return text === undefined ? undefined : parseConfigRecord(name, text);
}
