// The LXC commands the helper runs on the host's store, each bounded in time.
import { runBounded, runChecked } from './run-bounded.js';

// Where and how long: the store and the per-command limit.
export interface LxcTarget {
  lxcpath: string;
  timeoutMs: number;
}

// The container's state as lxc-info reports it (RUNNING, STOPPED, FROZEN, FREEZING, …).
export async function lxcState(target: LxcTarget, name: string): Promise<string> {
  const result = await runChecked(['lxc-info', '-P', target.lxcpath, '-n', name, '-s', '-H'], { timeoutMs: target.timeoutMs });
  return result.output.trim();
}

// Freezes a container; throws when lxc-freeze fails.
export async function lxcFreeze(target: LxcTarget, name: string): Promise<void> {
  await runChecked(['lxc-freeze', '-P', target.lxcpath, '-n', name], { timeoutMs: target.timeoutMs });
}

// Thaws a container; throws when lxc-unfreeze fails.
export async function lxcThaw(target: LxcTarget, name: string): Promise<void> {
  await runChecked(['lxc-unfreeze', '-P', target.lxcpath, '-n', name], { timeoutMs: target.timeoutMs });
}

// Stops a container at once (kill); a container that is not running is fine.
export async function lxcKill(target: LxcTarget, name: string): Promise<void> {
  await runBounded(['lxc-stop', '-P', target.lxcpath, '-n', name, '-k'], { timeoutMs: target.timeoutMs });
}

// The argv that runs `command` inside a running container as its own root, with a clean environment.
export function attachArgv(lxcpath: string, name: string, command: readonly string[]): string[] {
  return [
    'lxc-attach',
    '--clear-env',
    '-n',
    name,
    '-P',
    lxcpath,
    '--set-var',
    'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    '--',
    ...command,
  ];
}
