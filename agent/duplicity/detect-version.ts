// Asks the installed duplicity for its version, once per process.
import { spawnProcess } from '../process/spawn.js';
import { parseVersion } from './parse-version.js';
import type { DuplicityVersion } from './version.js';

let cached: Promise<DuplicityVersion> | undefined;

// The installed duplicity's version; throws a one-line error when duplicity is missing.
export function detectDuplicityVersion(): Promise<DuplicityVersion> {
  cached ??= (async () => {
    const result = await spawnProcess('duplicity', ['--version'], { timeoutMs: 30_000 });
    if (result.startError) throw new Error('duplicity not found: install it (apt-get install duplicity)');
    const version = parseVersion(`${result.stdout}\n${result.stderr}`);
    if (!version) throw new Error(`cannot tell the duplicity version from: ${result.stdout.trim().split('\n')[0] ?? ''}`);
    return version;
  })();
  cached.catch(() => (cached = undefined));
  return cached;
}
