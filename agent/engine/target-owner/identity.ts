// This agent installation's identity (state_dir/owner.json), made once and kept: a new state
// directory (a second backup container, a re-provision) is a new owner on every target.
import { errnoCode } from '../../core/error-message.js';
import { randomUUID } from 'node:crypto';
import { link, mkdir, open, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { containerNameProblem } from '../../core/container-name.js';
import type { OwnerIdentity } from './marker.js';

// Where provision writes the host's name inside the backup container.
export const HOST_NAME_FILE = '/etc/lxc-backup/host';
const MACHINE_ID_FILE = '/etc/machine-id';
const SMALL = 4096;

// Where the host name comes from; tests point these elsewhere.
export interface HostSources {
  env: NodeJS.ProcessEnv;
  hostFile?: string;
  machineIdFile?: string;
}

// The identity kept in `stateDir`, created on first use.
export async function ownerIdentity(stateDir: string, sources: HostSources): Promise<OwnerIdentity> {
  const file = join(stateDir, 'owner.json');
  const kept = await readIdentity(file);
  if (kept) return kept;
  const made: OwnerIdentity = {
    id: randomUUID(),
    host: await hostName(sources),
    backup_container: hostname(),
    created: new Date().toISOString(),
  };
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  // link() creates the name only if it is absent: two jobs starting at once agree on one id.
  const temp = `${file}.${process.pid}.${made.id}`;
  await writeFile(temp, `${JSON.stringify(made, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await link(temp, file);
  } catch (error) {
    if (errnoCode(error) !== 'EEXIST') throw error;
  } finally {
    await rm(temp, { force: true });
  }
  const settled = await readIdentity(file);
  if (!settled) throw new Error(`${file}: expected an owner identity {id, host, backup_container, created}, got something else`);
  return settled;
}

async function readIdentity(file: string): Promise<OwnerIdentity | undefined> {
  const text = await readSmall(file);
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(
      `${file}: expected JSON, got text that does not parse; move it aside to make a new identity (every target then needs \`lxc-backup adopt\`)`,
    );
  }
  const record = (value ?? {}) as Record<string, unknown>;
  const fields = ['id', 'host', 'backup_container', 'created'] as const;
  const bad = fields.find((field) => typeof record[field] !== 'string' || record[field] === '');
  if (bad) throw new Error(`${file}: expected "${bad}" to be a non-empty string`);
  return Object.fromEntries(fields.map((field) => [field, record[field]])) as unknown as OwnerIdentity;
}

// The host's name: LXC_BACKUP_HOST, the name provision wrote, the machine id, our hostname.
// Only a name that is safe as a path segment is used as it is (it goes into target URLs).
export async function hostName(sources: HostSources): Promise<string> {
  const candidates = [
    sources.env.LXC_BACKUP_HOST,
    await readSmall(sources.hostFile ?? HOST_NAME_FILE),
    await readSmall(sources.machineIdFile ?? MACHINE_ID_FILE),
    hostname(),
  ];
  for (const candidate of candidates) {
    const name = candidate?.split('\n')[0]?.trim();
    if (name && !containerNameProblem(name)) return name;
  }
  return 'unknown-host';
}

// A small file's text, or undefined when absent; never more than SMALL bytes. These are the backup
// container's own files (state_dir, /etc), never a guest's, so a symlink there is followed (an
// image may link /etc/machine-id).
async function readSmall(file: string): Promise<string | undefined> {
  const handle = await open(file, 'r').catch((error: unknown) => {
    if (errnoCode(error) === 'ENOENT') return undefined;
    throw error;
  });
  if (!handle) return undefined;
  try {
    const buffer = Buffer.alloc(SMALL);
    const { bytesRead } = await handle.read(buffer, 0, SMALL, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}
