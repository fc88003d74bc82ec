// Asks the installed duplicity for its version once, and remembers the answer in state_dir
// keyed by the executable's size and mtime: starting Python for `--version` costs ~0.2 s,
// which every short CLI run would otherwise pay again.
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { spawnProcess } from '../process/spawn.js';
import { parseVersion } from './parse-version.js';
import type { DuplicityVersion } from './version.js';

// Holds the one detection a process makes; a test passes a fresh one to stand for a new process.
export interface VersionCache {
  pending?: Promise<DuplicityVersion>;
}

const processCache: VersionCache = {};

// The duplicity on PATH, with what identifies this installed copy.
async function locateDuplicity(): Promise<{ path: string; key: string } | undefined> {
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const path = join(dir, 'duplicity');
    const info = await stat(path).catch(() => undefined);
    if (info?.isFile()) return { path, key: `${path}:${info.size}:${info.mtimeMs}` };
  }
  return undefined;
}

async function askDuplicity(): Promise<DuplicityVersion> {
  const result = await spawnProcess('duplicity', ['--version'], { timeoutMs: 30_000 });
  if (result.startError) throw new Error('duplicity not found: install it (apt-get install duplicity)');
  const version = parseVersion(`${result.stdout}\n${result.stderr}`);
  if (!version) throw new Error(`cannot tell the duplicity version from: ${result.stdout.trim().split('\n')[0] ?? ''}`);
  return version;
}

async function detect(stateDir: string | undefined): Promise<DuplicityVersion> {
  const located = await locateDuplicity();
  if (!located) throw new Error('duplicity not found on PATH: install it (apt-get install duplicity)');
  const file = stateDir ? join(stateDir, 'duplicity-version.json') : undefined;
  if (file) {
    const saved = await readFile(file, 'utf8')
      .then((text) => JSON.parse(text) as { key?: string; version?: DuplicityVersion })
      .catch(() => undefined);
    if (saved?.key === located.key && saved.version) return saved.version;
  }
  const version = await askDuplicity();
  if (file && stateDir) {
    // Only a cache: failing to write it costs the next run 0.2 s, nothing more.
    await mkdir(stateDir, { recursive: true, mode: 0o700 }).catch(() => undefined);
    await writeFile(file, JSON.stringify({ key: located.key, version }), { mode: 0o600 }).catch(() => undefined);
  }
  return version;
}

// The installed duplicity's version, once per process (per `cache`); throws a one-line error when it is missing.
export function detectDuplicityVersion(stateDir?: string, cache: VersionCache = processCache): Promise<DuplicityVersion> {
  cache.pending ??= detect(stateDir);
  // A failed detection is not remembered: the next job asks again (duplicity may be installed by then).
  cache.pending.catch(() => (cache.pending = undefined));
  return cache.pending;
}
