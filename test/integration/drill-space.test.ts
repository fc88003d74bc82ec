// The disk guard: a drill restores onto the state volume, so a volume too small for the
// container (a small tmpfs here) makes it refuse before restoring, with both sizes named.
import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupNow, type DrillWorld, drillNow, makeDrillContainer, makeDrillWorld } from '../support/drill-world.js';

let world: DrillWorld;
let mounted = false;

beforeAll(async () => {
  world = await makeDrillWorld('drill-space');
});
afterAll(async () => {
  if (mounted) await execa('umount', [join(world.stateDir, 'drill')]);
  await world.remove();
});

describe('restore drill disk guard', () => {
  it('refuses before restoring when the scratch volume is too small, with the sizes', async () => {
    await makeDrillContainer(world, 'big', 5, { 'var/blob': randomBytes(24 * 1024 * 1024) });
    await backupNow(world, 'big');
    await mkdir(join(world.stateDir, 'drill'), { recursive: true });
    await execa('mount', ['-t', 'tmpfs', '-o', 'size=32m', 'tmpfs', join(world.stateDir, 'drill')]);
    mounted = true;
    const { code, out, err } = await drillNow(world, 'big');
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(/big: not enough space for a restore drill in .*\/drill: need 46\.0 MiB \(24\.0 MiB of files .*\), 32\.0 MiB free/);
    // Nothing was restored: no scratch, no staging left on the volume.
    expect(await readdir(join(world.stateDir, 'drill'))).toEqual([]);
  });
});
