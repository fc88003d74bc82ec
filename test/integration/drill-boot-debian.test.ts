// The drill's boot test of a Debian container (lxc-create -t debian from the local cache, no
// network): its backup is restored, booted through the real host helper until systemd says
// running or degraded, and nothing is left behind.
import { execa } from 'execa';
import { chmod, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixtureProcess } from '../support/fixture-process.js';
import { backupNow, type DrillWorld, drillNow } from '../support/drill-world.js';
import { buildHelperBundle, type HelperDirs, makeHelperDirs, removeGuests, startHelper } from './host-helper-fixture.js';

let dirs: HelperDirs;
let helper: FixtureProcess | undefined;
let world: DrillWorld;
const name = `drill-debian-${Math.random().toString(16).slice(2, 8)}`;

beforeAll(async () => {
  dirs = await makeHelperDirs('drill-debian');
  const bundle = await buildHelperBundle(dirs.work);
  const conf = join(dirs.work, 'net-none.conf');
  await writeFile(conf, 'lxc.net.0.type = empty\n');
  await execa('lxc-create', ['-P', dirs.lxcpath, '-n', name, '-t', 'debian', '-f', conf, '--', '-r', 'trixie']);
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
    '  verify: { boot: true, timeout: 5m }',
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
  it('boots a restored Debian container (systemd) without network and leaves nothing behind', async () => {
    await backupNow(world, name);
    const { code, result, err } = await drillNow(world, name);
    expect(err).toBe('');
    expect(result, JSON.stringify(result)).toMatchObject({ ok: true, mismatches: 0, booted: true });
    expect(code).toBe(0);
    await expectNothingLeft();
  }, 900_000);
});
