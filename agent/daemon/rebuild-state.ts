// Rebuilds lost state from the targets themselves (duplicity collection-status), so a
// corrupt or deleted state.json costs a few reads, not a round of needless full backups.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { scanHostRoot } from '../discovery/scan.js';
import type { JobRunner } from '../core/job.js';
import type { Log } from '../core/log.js';
import type { Policy } from '../policy/schema.js';
import { mapConcurrent } from '../core/map-concurrent.js';
import { jobSlots } from '../policy/concurrency.js';
import { recordFromChain, type AgentState } from './state.js';
import type { StateLoad } from './state-store.js';
import { errorMessage } from '../core/error-message.js';

// Whether the loaded state lost what earlier runs knew: a corrupt file, or a missing one
// while duplicity's caches show that backups were made before.
export async function stateWasLost(loaded: StateLoad, policy: Policy): Promise<boolean> {
  if (loaded.setAside) return true;
  if (!loaded.missing) return false;
  return (await stat(join(policy.state_dir, 'cache')).catch(() => undefined))?.isDirectory() ?? false;
}

// Names in duplicity's archive cache (state_dir/cache/NAME, one per container) that hold a
// full backup's manifest: the containers that had backups made here.
async function namesWithBackups(stateDir: string): Promise<string[]> {
  const cache = join(stateDir, 'cache');
  const entries = await readdir(cache, { withFileTypes: true }).catch(() => []);
  const names: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const files = await readdir(join(cache, entry.name)).catch(() => [] as string[]);
    if (files.some((file) => /^duplicity-full\.\d{8}T\d{6}Z\.manifest$/.test(file))) names.push(entry.name);
  }
  return names;
}

// Fills in the record of every present container, and of every removed one whose backups the
// cache shows (the daemon then lists it as orphaned and keeps pruning it), from its target;
// failures are logged, not fatal.
export async function rebuildState(state: AgentState, policy: Policy, runner: JobRunner, log: Log): Promise<void> {
  const inspect = runner.inspect?.bind(runner);
  if (!inspect) return;
  const infos = await scanHostRoot(policy.host_root).catch(() => []);
  const present = new Set(infos.map((info) => info.name));
  const orphans = (await namesWithBackups(policy.state_dir)).filter((name) => !present.has(name));
  const started = Date.now();
  const names = [...present, ...orphans];
  const found = await mapConcurrent(names, Math.max(2, jobSlots(policy.concurrency)), async (name) => {
    try {
      const chain = await inspect(name);
      state.containers[name] = recordFromChain(state.containers[name] ?? {}, chain);
      return chain.chains > 0;
    } catch (error) {
      log.warn({ container: name, err: errorMessage(error) }, `cannot read the backups of ${name} to rebuild its state`);
      return false;
    }
  });
  const withBackups = found.filter(Boolean).length;
  log.info(
    { containers: infos.length, orphaned: orphans.length, with_backups: withBackups, duration_ms: Date.now() - started },
    `state rebuilt from the targets: ${withBackups} of ${names.length} containers have backups; ${orphans.length} removed container(s) with backups in the cache listed as orphaned`,
  );
}
