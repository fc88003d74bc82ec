// Reads host_root once: every directory holding an LXC `config` is a container.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describeContainer, type ContainerInfo } from './container-info.js';

// Reads one container, or undefined when its directory has no readable `config`.
export async function readContainer(hostRoot: string, name: string): Promise<ContainerInfo | undefined> {
  try {
    return describeContainer(name, hostRoot, await readFile(join(hostRoot, name, 'config'), 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return undefined;
    throw error;
  }
}

// Every container under host_root, sorted by name.
export async function scanHostRoot(hostRoot: string): Promise<ContainerInfo[]> {
  const entries = await readdir(hostRoot, { withFileTypes: true });
  const names = entries.filter((entry) => entry.isDirectory() && !entry.name.startsWith('.')).map((entry) => entry.name);
  const found = await Promise.all(names.sort().map((name) => readContainer(hostRoot, name)));
  return found.filter((info): info is ContainerInfo => info !== undefined);
}
