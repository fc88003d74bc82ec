// The drill manifest now comes from the capture's one walk: over a real tree with odd names,
// a socket, a fifo, links and an excluded directory, its totals, file count and sample are the
// ones a separate walk of the tree (walk-tree.ts, the drill's own view) gives.
import { execa } from 'execa';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DrillManifest } from '../../agent/engine/drill/manifest-file.js';
import { createSamplePicker } from '../../agent/engine/drill/sample-pick.js';
import { createTotals } from '../../agent/engine/drill/tree-totals.js';
import { walkTree } from '../../agent/engine/drill/walk-tree.js';
import { compileExcludes } from '../../agent/engine/exclude-globs.js';
import { captureMetadata } from '../../agent/engine/fidelity/capture.js';
import { makeTempDir, removeDir } from '../support/temp.js';

let dir: string;
const EXCLUDE = ['rootfs/tmp/**', 'rootfs/var/cache'];
const SAMPLE = { percent: 50, min: 5, max: 40 };

beforeAll(async () => {
  dir = await makeTempDir('manifest-walk');
  const c = join(dir, 'c');
  for (const d of ['rootfs/etc', 'rootfs/tmp/x', 'rootfs/var/cache/apt', 'rootfs/run', 'rootfs/deep dir/with space'])
    await mkdir(join(c, d), { recursive: true });
  await writeFile(join(c, 'config'), 'lxc.uts.name = c\n');
  for (let i = 0; i < 60; i++) await writeFile(join(c, 'rootfs/etc', `f${i}`), 'x'.repeat(i));
  await writeFile(join(c, 'rootfs/tmp/x/junk'), 'junk');
  await writeFile(join(c, 'rootfs/var/cache/apt/pkg'), 'pkg');
  await writeFile(join(c, 'rootfs/deep dir/with space/a\nb'), 'newline');
  await writeFile(Buffer.from(join(c, 'rootfs/etc/latin1-\xff'), 'latin1'), 'not utf-8');
  await symlink('/etc/shadow', join(c, 'rootfs/etc/link'));
  await execa('mkfifo', [join(c, 'rootfs/run/fifo')]);
  await execa('ln', [join(c, 'rootfs/etc/f1'), join(c, 'rootfs/etc/hard')]);
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(join(c, 'rootfs/run/sock'), resolve));
  server.close();
});
afterAll(async () => removeDir(dir));

describe('the manifest from the capture walk', () => {
  it('has the totals, file count and sample a separate walk of the tree gives', async () => {
    const c = join(dir, 'c');
    await captureMetadata(c, join(dir, 'meta'), { manifest: { exclude: EXCLUDE, sample: SAMPLE, seed: 'fixed' } });
    const manifest = JSON.parse(await readFile(join(dir, 'meta', 'drill-manifest.json'), 'utf8')) as DrillManifest;

    const excluded = compileExcludes(EXCLUDE);
    const totals = createTotals();
    const picker = createSamplePicker<Buffer>('fixed', SAMPLE);
    let files = 0;
    await walkTree(c, {
      onEntry(entry) {
        if (excluded.excludes(entry.path)) return;
        totals.add(entry);
        if (entry.type !== 'f') return;
        files++;
        picker.offer(entry.path, entry.path);
      },
    });
    expect(manifest.totals).toEqual(totals.result());
    expect(manifest.totals.entries).toBeGreaterThan(60);
    expect(manifest.files).toBe(files);
    expect(manifest.totals_unchecked).toBeUndefined();
    expect(manifest.sample.map((s) => s.path)).toEqual(picker.pick().map((p) => p.item.toString('base64')));
    expect(manifest.sample.length).toBe(32);
  });

  it('a backup that may be unchanged: no manifest work in its walk, the same manifest once it runs', async () => {
    const c = join(dir, 'c');
    const options = { manifest: { exclude: EXCLUDE, sample: SAMPLE, seed: 'fixed' } };
    const read = async (meta: string): Promise<DrillManifest> =>
      JSON.parse(await readFile(join(dir, meta, 'drill-manifest.json'), 'utf8')) as DrillManifest;
    await captureMetadata(c, join(dir, 'meta-in-walk'), options);
    // The finds each capture starts, counted by a wrapper first on PATH.
    const bin = join(dir, 'bin');
    const starts = join(dir, 'find-starts');
    await mkdir(bin, { recursive: true });
    await writeFile(join(bin, 'find'), `#!/bin/sh\necho find >> '${starts}'\nexec /usr/bin/find "$@"\n`, { mode: 0o755 });
    const savedPath = process.env.PATH;
    process.env.PATH = `${bin}:${savedPath}`;
    const finds = async (): Promise<number> => (await readFile(starts, 'utf8').catch(() => '')).split('\n').filter(Boolean).length;
    try {
      expect(await captureMetadata(c, join(dir, 'meta-skipped'), { ...options, afterWalk: async () => false })).toBeUndefined();
      expect(await finds()).toBe(1);
      await captureMetadata(c, join(dir, 'meta-deferred'), { ...options, afterWalk: async () => true });
      expect(await finds()).toBe(3);
    } finally {
      process.env.PATH = savedPath;
    }
    const inWalk = await read('meta-in-walk');
    const deferred = await read('meta-deferred');
    expect({ ...deferred, created: '' }).toEqual({ ...inWalk, created: '' });
  });
});
