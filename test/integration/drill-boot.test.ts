// The drill's boot test through the real host helper: a busybox container's backup is restored,
// booted without network and reported `booted`; with /sbin/init gone the drill fails. Either
// way no container, mount or scratch directory is left.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupNow, drillNow } from '../support/drill-world.js';
import { type BootWorld, startBootWorld } from './drill-boot-world.js';
import { createGuest } from './host-helper-fixture.js';

let boot: BootWorld;
const name = `drill-boot-${Math.random().toString(16).slice(2, 8)}`;

beforeAll(async () => {
  boot = await startBootWorld(
    'drill-boot',
    async (dirs) => {
      await createGuest(dirs, name, { start: false });
    },
    '2m',
  );
}, 300_000);
afterAll(async () => {
  await boot?.stop();
});

describe('restore drill with a boot test', () => {
  it('boots a restored busybox container without network and leaves nothing behind', async () => {
    await backupNow(boot.world, name);
    const { code, result, err } = await drillNow(boot.world, name);
    expect(err).toBe('');
    expect(result).toMatchObject({ ok: true, mismatches: 0, booted: true });
    expect(code).toBe(0);
    await boot.expectNothingLeft();
  }, 300_000);

  it('fails when the restored tree has no /sbin/init, and still cleans up', async () => {
    await rm(join(boot.dirs.lxcpath, name, 'rootfs', 'sbin', 'init'));
    await backupNow(boot.world, name);
    const { code, result } = await drillNow(boot.world, name);
    expect(code).toBe(1);
    expect(result).toMatchObject({ ok: false, mismatches: 0, booted: false });
    expect(result?.failure).toMatch(/boot test failed: .*\/sbin\/init/);
    await boot.expectNothingLeft();
  }, 300_000);
});
