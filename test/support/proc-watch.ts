// Samples the command lines of running processes, to prove what a child was started with.
import { readdir, readFile } from 'node:fs/promises';

// Starts sampling every `intervalMs`; stop() returns the distinct command lines seen that match.
export function watchCommandLines(match: RegExp, intervalMs = 20): { stop(): Promise<string[]> } {
  const seen = new Set<string>();
  let running = true;
  const loop = (async () => {
    while (running) {
      for (const pid of await readdir('/proc').catch(() => [] as string[])) {
        if (!/^\d+$/.test(pid)) continue;
        const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
        if (match.test(cmdline)) seen.add(cmdline.split('\0').join(' '));
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return [...seen];
    },
  };
}
