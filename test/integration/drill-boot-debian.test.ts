// The drill's boot test of a Debian container (lxc-create -t debian from the local cache, no
// network): its backup is restored, booted through the real host helper until systemd says
// running or degraded, and nothing is left behind.
import { execa } from 'execa';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupNow, drillNow } from '../support/drill-world.js';
import { type BootWorld, startBootWorld } from './drill-boot-world.js';

let boot: BootWorld;
const name = `drill-debian-${Math.random().toString(16).slice(2, 8)}`;

beforeAll(async () => {
  boot = await startBootWorld(
    'drill-debian',
    async (dirs) => {
      const conf = join(dirs.work, 'net-none.conf');
      await writeFile(conf, 'lxc.net.0.type = empty\n');
      await execa('lxc-create', ['-P', dirs.lxcpath, '-n', name, '-t', 'debian', '-f', conf, '--', '-r', 'trixie']);
    },
    '5m',
  );
}, 900_000);
afterAll(async () => {
  await boot?.stop();
});

describe('restore drill with a boot test', () => {
  it('boots a restored Debian container (systemd) without network and leaves nothing behind', async () => {
    await backupNow(boot.world, name);
    const { code, result, err } = await drillNow(boot.world, name);
    expect(err).toBe('');
    expect(result, JSON.stringify(result)).toMatchObject({ ok: true, mismatches: 0, booted: true });
    expect(code).toBe(0);
    await boot.expectNothingLeft();
  }, 900_000);
});
