// Where one container's files live, on the host mount and under state_dir, and where they
// land inside its backups.
//
// duplicity backs up a single source tree, and the container directory is read-only, so the
// metadata duplicity cannot keep (fidelity/) is written to state_dir/meta/NAME and both are
// selected from the source `/`. Inside a backup the container is at `<host_root>/NAME` and the
// metadata at `<state_dir>/meta/NAME`, both without the leading slash.
import { join } from 'node:path';
import type { Policy } from '../../policy/schema.js';
import { containerFileName } from './container-file-name.js';

export interface ContainerLayout {
  name: string;
  containerDir: string;
  metaDir: string;
  archiveDir: string;
  tempDir: string;
  excludeFile: string;
  lockFile: string;
  gnupgHome: string;
}

// The paths used for container `name` under a policy.
export function containerLayout(policy: Pick<Policy, 'host_root' | 'state_dir'>, name: string): ContainerLayout {
  const state = policy.state_dir;
  return {
    name,
    containerDir: join(policy.host_root, name),
    metaDir: join(state, 'meta', name),
    archiveDir: join(state, 'cache'),
    tempDir: join(state, 'tmp'),
    excludeFile: join(state, 'run', containerFileName(name, '.exclude')),
    lockFile: join(state, 'locks', containerFileName(name, '.lock')),
    gnupgHome: join(state, 'gnupg'),
  };
}

// A path as duplicity stores it relative to the source `/`.
export function pathInBackup(absolutePath: string): string {
  return absolutePath.replace(/^\/+/, '');
}

// The exclude filelist for a container: each policy pattern anchored at the container
// directory (duplicity globbing: `*`, `**`, `?`, `[...]`).
export function excludeFilelist(layout: ContainerLayout, patterns: readonly string[]): string {
  return patterns.map((pattern) => `${join(layout.containerDir, pattern)}\n`).join('');
}
