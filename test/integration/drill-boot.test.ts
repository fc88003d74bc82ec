// The drill's boot test through the real host helper: a busybox container's backup is restored,
// booted without network and reported `booted`; with /sbin/init gone the drill fails. Either
// way no container, mount or scratch directory is left.
import { execa } from 'execa';
import { chmod, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixtureProcess } from '../support/fixture-process.js';
import { backupNow, type DrillWorld, drillNow } from '../support/drill-world.js';
import { buildHelperBundle, createGuest, type HelperDirs, makeHelperDirs, removeGuests, startHelper } from './host-helper-fixture.js';

let dirs: HelperDirs;
let helper: FixtureProcess | undefined;
let world: DrillWorld;
const name = `drill-boot-${Math.random().toString(16).slice(2, 8)}`;

beforeAll(async () => {
  dirs = await makeHelperDirs('drill-boot');
  const bundle = await buildHelperBundle(dirs.work);
  await createGuest(dirs, name, { start: false });
  helper = await startHelper(bundle, dirs, ['--boot-settle', '2']);
  const secrets = join(dirs.work, 'secrets.env');
  await writeFile(secrets, 'PASSPHRASE=unused\n');
  await chmod(secrets, 0o600);
  // state_dir is the helper's restore root, as provision's bind mount makes state_dir/drill its drill/.
  const policy = join(dirs.work, 'policy.yaml');
  const lines = ['version: 1', `host_root: ${dirs.lxcpath}`, `state_dir: ${dirs.restoreRoot}`, `secrets_file: ${secrets}`, 'defaults:'];
  lines.push(
    `  target: "file://${join(dirs.work, 'target')}/{name}"`,
    '  encryption: { mode: none }',
    '  verify: { boot: true, timeout: 2m }',
  );
  await writeFile(policy, `${lines.join('\n')}\n`);
  world = {
    dir: dirs.work,
    hostRoot: dirs.lxcpath,
    stateDir: dirs.restoreRoot,
    target: join(dirs.work, 'target'),
    policy,
    env: { ...process.env, LXC_BACKUP_SOCKET: join(dirs.work, 'no-agent.sock'), LXC_BACKUP_HELPER_SOCKET: dirs.socket },
    remove: async () => undefined,
  };
}, 300_000);
afterAll(async () => {
  await helper?.stop();
  if (dirs) await removeGuests(dirs);
});

async function expectNothingLeft(): Promise<void> {
  expect(await readdir(join(dirs.restoreRoot, 'drill'))).toEqual([]);
  expect(await readdir(join(dirs.stateDir, 'boot')).catch(() => [])).toEqual([]);
  expect((await execa('findmnt', ['-rn', '-o', 'TARGET'])).stdout).not.toContain(dirs.work);
  expect((await execa('lxc-ls', ['-P', join(dirs.stateDir, 'boot'), '-1'], { reject: false })).stdout.trim()).toBe('');
}

describe('restore drill with a boot test', () => {
  it('boots a restored busybox container without network and leaves nothing behind', async () => {
    await backupNow(world, name);
    const { code, result, err } = await drillNow(world, name);
    expect(err).toBe('');
    expect(result).toMatchObject({ ok: true, mismatches: 0, booted: true });
    expect(code).toBe(0);
    await expectNothingLeft();
  }, 300_000);

  it('fails when the restored tree has no /sbin/init, and still cleans up', async () => {
    await rm(join(dirs.lxcpath, name, 'rootfs', 'sbin', 'init'));
    await backupNow(world, name);
    const { code, result } = await drillNow(world, name);
    expect(code).toBe(1);
    expect(result).toMatchObject({ ok: false, mismatches: 0, booted: false });
    expect(result?.failure).toMatch(/boot test failed: .*\/sbin\/init/);
    await expectNothingLeft();
  }, 300_000);
});
