// What every verb of the helper shares: its configuration, its log, the LXC store it acts on,
// and one lock per container so that two sessions never act on the same guest at once.
import type { Log } from '../core/log.js';
import type { HelperConfig } from './config.js';
import type { LxcTarget } from './lxc-commands.js';

// The helper's shared state.
export interface HelperContext {
  config: HelperConfig;
  log: Log;
  lxc: LxcTarget;
  locks: ContainerLocks;
}

// Runs actions on one container one after another (each action is bounded in time, so a wait is too).
export class ContainerLocks {
  private readonly tails = new Map<string, Promise<unknown>>();

  // Runs `action` once every earlier action on `name` has ended.
  run<T>(name: string, action: () => Promise<T>): Promise<T> {
    const before = this.tails.get(name) ?? Promise.resolve();
    const result = before.then(action, action);
    const tail = result.catch(() => undefined);
    this.tails.set(name, tail);
    void tail.then(() => {
      if (this.tails.get(name) === tail) this.tails.delete(name);
    });
    return result;
  }
}

// The helper's context for `config`, logging to `log`.
export function helperContext(config: HelperConfig, log: Log): HelperContext {
  return { config, log, lxc: { lxcpath: config.lxcpath, timeoutMs: config.command_max_s * 1000 }, locks: new ContainerLocks() };
}
