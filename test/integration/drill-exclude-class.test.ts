// A policy exclude the walks cannot apply exactly (a `[...]` class): the backup's manifest says
// its totals are unchecked and samples nothing the pattern could exclude, and the drill passes,
// noting the skipped totals check instead of reporting a mismatch. Real duplicity.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DrillManifest } from '../../agent/engine/drill/manifest-file.js';
import { backupNow, type DrillWorld, drillNow, makeDrillContainer, makeDrillWorld } from '../support/drill-world.js';
import { runLxcBackup } from '../support/cli.js';

let world: DrillWorld;

beforeAll(async () => {
  world = await makeDrillWorld('drill-class', '  exclude: ["rootfs/cache/[ab]*", "rootfs/tmp/**"]');
});
afterAll(async () => world.remove());

describe('drill with an exclude pattern the walk cannot copy', () => {
  it('records unchecked totals, keeps possibly excluded files out of the sample, and drills OK with a note', async () => {
    await makeDrillContainer(world, 'cls', 20, {
      'cache/a1': 'excluded by duplicity',
      'cache/b2': 'excluded by duplicity',
      'cache/c3': 'kept by duplicity, but [ab] is read as any character for the sample',
      'tmp/junk': 'excluded',
    });
    await backupNow(world, 'cls');
    const manifest = JSON.parse(await readFile(join(world.stateDir, 'meta', 'cls', 'drill-manifest.json'), 'utf8')) as DrillManifest;
    expect(manifest.totals_unchecked).toMatch(/"rootfs\/cache\/\[ab\]\*"/);
    expect(manifest.totals_unchecked).not.toMatch(/rootfs\/tmp/);
    const sampled = manifest.sample.map((s) => Buffer.from(s.path, 'base64').toString());
    // 20 files and the config; nothing under cache/ (a1, b2 are not in the backup; c3 might not be).
    expect(sampled).toHaveLength(21);
    expect(sampled.filter((p) => p.startsWith('rootfs/cache'))).toEqual([]);
    // The walk applied the supported pattern only: a1, b2, c3 count, tmp/junk does not.
    expect(manifest.files).toBe(24);

    const { code, result, err } = await drillNow(world, 'cls');
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(result).toMatchObject({ ok: true, mismatches: 0, sampled: 21 });
    expect(result?.notes).toEqual([expect.stringMatching(/^tree totals not compared: exclude pattern\(s\) "rootfs\/cache\/\[ab\]\*"/)]);

    const human = await runLxcBackup(['drill', '--policy', world.policy, '--direct', 'cls'], world.env);
    expect(human.code).toBe(0);
    expect(human.out).toMatch(/cls: note: tree totals not compared: exclude pattern\(s\) "rootfs\/cache\/\[ab\]\*"/);
  });
});
