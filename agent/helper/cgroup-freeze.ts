// Freezing on a cgroup v1 host. LXC's own lxc-freeze writes FROZEN and, when the freezer is not
// done at once, re-reads it only a second later, so the guest stays paused a full second for
// nothing (one freeze in five here). The helper writes the freezer state itself (lxc-cgroup)
// and polls it every 10 ms. lxc-info keeps reporting RUNNING for a guest frozen that way (or
// by an admin's lxc-cgroup), so the state check reads the freezer too; and lxc-unfreeze does
// nothing to a guest LXC believes RUNNING, so the thaw writes the freezer as well.
import { existsSync } from 'node:fs';
import { HelperFailure } from './helper-failure.js';
import { runChecked } from './run-bounded.js';

// Where and how long (the same shape as lxc-commands' LxcTarget).
interface Target {
  lxcpath: string;
  timeoutMs: number;
}

// Whether the host's freezer is cgroup v1's (LXC then uses freezer.state).
export function hasCgroupV1Freezer(): boolean {
  return existsSync('/sys/fs/cgroup/freezer');
}

// The guest's freezer.state: THAWED, FREEZING or FROZEN.
export async function freezerState(target: Target, name: string): Promise<string> {
  const result = await runChecked(['lxc-cgroup', '-P', target.lxcpath, '-n', name, 'freezer.state'], { timeoutMs: target.timeoutMs });
  return result.output.trim();
}

// Freezes through freezer.state and waits until the kernel reports FROZEN (writing FROZEN again
// while FREEZING, which makes the kernel retry tasks it could not freeze yet).
export async function freezeV1(target: Target, name: string): Promise<void> {
  const deadline = Date.now() + target.timeoutMs;
  for (;;) {
    await runChecked(['lxc-cgroup', '-P', target.lxcpath, '-n', name, 'freezer.state', 'FROZEN'], { timeoutMs: target.timeoutMs });
    if ((await freezerState(target, name)) === 'FROZEN') return;
    if (Date.now() > deadline) throw new HelperFailure('timeout', `${name}: freezer not FROZEN within ${target.timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

// Thaws through freezer.state.
export async function thawV1(target: Target, name: string): Promise<void> {
  await runChecked(['lxc-cgroup', '-P', target.lxcpath, '-n', name, 'freezer.state', 'THAWED'], { timeoutMs: target.timeoutMs });
}
