// Reads host_root once: every directory holding an LXC `config` is a container. Everything
// under host_root is shaped by whoever made it, so one odd entry makes only its own container
// `unsupported` (with the reason) and never blocks or fails the scan of the others.
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { mapConcurrent } from '../core/map-concurrent.js';
import { describeContainer, unsupportedContainer, type ContainerInfo } from './container-info.js';
import { containerNameProblem } from '../core/container-name.js';
import { readConfigFile } from './read-config.js';
import { rootfsLinkProblem } from './rootfs-links.js';
import { errnoCode, errorMessage } from '../core/error-message.js';

// Configs read at once during a scan: enough to keep libuv's four file-system threads busy,
// bounded so a scan of thousands of containers holds a few descriptors and buffers, not thousands.
const SCAN_CONCURRENCY = 8;

async function isRealDirectory(path: string): Promise<boolean | string> {
  try {
    // lstat: a symlink to a directory is not a container (its files are somewhere else).
    return (await lstat(path)).isDirectory();
  } catch (error) {
    const code = errnoCode(error);
    return code === 'ENOENT' || code === 'ENOTDIR' ? false : `cannot read ${path}: ${code ?? String(error)}`;
  }
}

// Reads one container, or undefined when `host_root/name` is not a directory with a `config`.
export async function readContainer(hostRoot: string, name: string): Promise<ContainerInfo | undefined> {
  const dir = join(hostRoot, name);
  const isDir = await isRealDirectory(dir);
  if (isDir === false) return undefined;
  if (typeof isDir === 'string') return unsupportedContainer(name, hostRoot, isDir);
  const nameProblem = containerNameProblem(name);
  if (nameProblem) {
    // Only whether a config is there: nothing of a container that will not be backed up is read.
    const config = await lstat(join(dir, 'config')).then(
      () => true,
      () => false,
    );
    return config ? unsupportedContainer(name, hostRoot, nameProblem) : undefined;
  }
  const config = await readConfigFile(join(dir, 'config'));
  if ('missing' in config) return undefined;
  if ('problem' in config) return unsupportedContainer(name, hostRoot, config.problem);
  const info = describeContainer(name, hostRoot, config.text);
  if (!info.rootfs) return info;
  const linked = await rootfsLinkProblem(dir, info.rootfs);
  if (!linked) return info;
  // Keeps the uts name and idmaps: whether it is the backup container itself still counts.
  const { rootfs: _rootfs, ...rest } = info;
  return { ...rest, unsupported: linked };
}

// Every container under host_root, sorted by name.
export async function scanHostRoot(hostRoot: string): Promise<ContainerInfo[]> {
  const entries = await readdir(hostRoot, { withFileTypes: true });
  const names = entries.filter((entry) => entry.isDirectory() && !entry.name.startsWith('.')).map((entry) => entry.name);
  const found = await mapConcurrent(names.sort(), SCAN_CONCURRENCY, (name) =>
    readContainer(hostRoot, name).catch((error: unknown) => unsupportedContainer(name, hostRoot, `cannot read it: ${errorMessage(error)}`)),
  );
  return found.filter((info): info is ContainerInfo => info !== undefined);
}
