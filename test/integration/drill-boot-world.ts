// The setup both boot-test drills share: a real host helper on its own socket and lxcpath, one
// guest made by `createGuest`, and a policy whose state_dir is the helper's restore root (as
// provision's bind mount makes state_dir/drill its drill/).
import { execa } from 'execa';
import { chmod, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { FixtureProcess } from '../support/fixture-process.js';
import type { DrillWorld } from '../support/drill-world.js';
import { buildHelperBundle, type HelperDirs, makeHelperDirs, removeGuests, startHelper } from './host-helper-fixture.js';

// A helper, a guest and a drill world around them.
export interface BootWorld {
  dirs: HelperDirs;
  world: DrillWorld;
  // Fails the test when a container, mount or scratch directory of the boot test is left.
  expectNothingLeft(): Promise<void>;
  stop(): Promise<void>;
}

// Starts the helper and makes the guest with `createGuest(dirs)`; `timeout` is verify.timeout.
export async function startBootWorld(tag: string, createGuest: (dirs: HelperDirs) => Promise<void>, timeout: string): Promise<BootWorld> {
  const dirs = await makeHelperDirs(tag);
  let helper: FixtureProcess | undefined;
  const stop = async (): Promise<void> => {
    await helper?.stop();
    await removeGuests(dirs);
  };
  try {
    const bundle = await buildHelperBundle(dirs.work);
    await createGuest(dirs);
    helper = await startHelper(bundle, dirs, ['--boot-settle', '2']);
  } catch (error) {
    await stop();
    throw error;
  }
  const secrets = join(dirs.work, 'secrets.env');
  await writeFile(secrets, 'PASSPHRASE=unused\n');
  await chmod(secrets, 0o600);
  const policy = join(dirs.work, 'policy.yaml');
  const lines = ['version: 1', `host_root: ${dirs.lxcpath}`, `state_dir: ${dirs.restoreRoot}`, `secrets_file: ${secrets}`, 'defaults:'];
  lines.push(
    `  target: "file://${join(dirs.work, 'target')}/{name}"`,
    '  encryption: { mode: none }',
    `  verify: { boot: true, timeout: ${timeout} }`,
  );
  await writeFile(policy, `${lines.join('\n')}\n`);
  const world: DrillWorld = {
    dir: dirs.work,
    hostRoot: dirs.lxcpath,
    stateDir: dirs.restoreRoot,
    target: join(dirs.work, 'target'),
    policy,
    env: { ...process.env, LXC_BACKUP_SOCKET: join(dirs.work, 'no-agent.sock'), LXC_BACKUP_HELPER_SOCKET: dirs.socket },
    remove: async () => undefined,
  };
  const expectNothingLeft = async (): Promise<void> => {
    expect(await readdir(join(dirs.restoreRoot, 'drill'))).toEqual([]);
    expect(await readdir(join(dirs.stateDir, 'boot')).catch(() => [])).toEqual([]);
    expect((await execa('findmnt', ['-rn', '-o', 'TARGET'])).stdout).not.toContain(dirs.work);
    expect((await execa('lxc-ls', ['-P', join(dirs.stateDir, 'boot'), '-1'], { reject: false })).stdout.trim()).toBe('');
  };
  return { dirs, world, expectNothingLeft, stop };
}
