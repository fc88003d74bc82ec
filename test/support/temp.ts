// Temp dirs, free ports and a cleanup registry shared by the integration fixtures.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Creates a fresh directory under `parent` (os.tmpdir() unless given) whose name starts with `lxc-backup-${prefix}`.
export async function makeTempDir(prefix: string, parent = tmpdir()): Promise<string> {
  return mkdtemp(join(parent, `lxc-backup-${prefix}-`));
}

// Removes a directory tree; missing paths are fine so cleanup can run twice. The gpg-agent
// that gpg started for a GnuPG home inside it is stopped first (it outlives duplicity).
export async function removeDir(dir: string): Promise<void> {
  await stopGpgAgents(`${dir}/`);
  await rm(dir, { recursive: true, force: true, maxRetries: 3 });
}

// Stops every gpg-agent whose --homedir starts with `homePrefix`.
export async function stopGpgAgents(homePrefix: string): Promise<void> {
  for (const pid of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(pid)) continue;
    const argv = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0');
    const home = argv[argv.indexOf('--homedir') + 1];
    if (argv[0]?.endsWith('gpg-agent') && home?.startsWith(homePrefix)) {
      try {
        process.kill(Number(pid), 'SIGTERM');
      } catch {
        // Already gone.
      }
    }
  }
}

// Asks the kernel for a currently free TCP port on 127.0.0.1. There is a window between
// closing this probe and the caller binding the port, so callers retry on EADDRINUSE.
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address === null || typeof address === 'string') {
          reject(new Error(`Expected a TCP address from the port probe, got ${String(address)}`));
        } else {
          resolve(address.port);
        }
      });
    });
  });
}

// A LIFO list of async cleanups; a test registers as it acquires and calls run() in afterEach.
export interface Cleanup {
  add(fn: () => Promise<void> | void): void;
  run(): Promise<void>;
}

// Creates a cleanup registry. run() calls every cleanup even if some throw, then rethrows the first error.
export function createCleanup(): Cleanup {
  const fns: Array<() => Promise<void> | void> = [];
  return {
    add(fn) {
      fns.push(fn);
    },
    async run() {
      let first: unknown;
      let failed = false;
      while (fns.length > 0) {
        const fn = fns.pop();
        try {
          await fn?.();
        } catch (error) {
          if (!failed) first = error;
          failed = true;
        }
      }
      if (failed) throw first;
    },
  };
}
