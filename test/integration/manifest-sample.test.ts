// The drill manifest's sample through a real walk (find): with a snapshot's view the files are
// read from the view, symlinks in the tree are never sampled through, and a deep tree (more
// directories than the opener holds) is hashed without an fd left open.
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { cp, mkdir, readFile, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ManifestOptions } from '../../agent/engine/drill/manifest-capture.js';
import { type DrillManifest, MANIFEST_FILE } from '../../agent/engine/drill/manifest-file.js';
import { captureMetadata } from '../../agent/engine/fidelity/capture.js';
import { sampleSizeFor } from '../../agent/engine/drill/sample-pick.js';
import { makeTempDir, removeDir } from '../support/temp.js';

let dir: string;
let ct: string;
beforeEach(async () => {
  dir = await makeTempDir('manifest-sample');
  ct = join(dir, 'ct');
  await mkdir(join(dir, 'outside'), { recursive: true });
  await writeFile(join(dir, 'outside', 'secret'), 'not the guest');
  const deep = join(ct, 'rootfs', ...Array.from({ length: 70 }, (_, i) => `d${i}`));
  await mkdir(deep, { recursive: true });
  await writeFile(join(deep, 'bottom'), 'deep file');
  for (let i = 0; i < 30; i++) {
    await mkdir(join(ct, 'rootfs', 'etc', `s${i % 7}`), { recursive: true });
    await writeFile(join(ct, 'rootfs', 'etc', `s${i % 7}`, `f${i}`), `file ${i}`);
  }
  await symlink(join(dir, 'outside'), join(ct, 'rootfs', 'lib'));
  await symlink(join(dir, 'outside', 'secret'), join(ct, 'rootfs', 'etc', 'passwd'));
  await writeFile(join(ct, 'config'), 'lxc.uts.name = ct\n');
});
afterEach(async () => removeDir(dir));

// The manifest a backup's capture writes for `containerDir`.
async function captureManifest(containerDir: string, options: ManifestOptions): Promise<DrillManifest> {
  const meta = join(dir, 'meta');
  await captureMetadata(containerDir, meta, { manifest: options });
  return JSON.parse(await readFile(join(meta, MANIFEST_FILE), 'utf8')) as DrillManifest;
}

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');
const sampled = (sample: { path: string; sha256: string }[]): Map<string, string> =>
  new Map(sample.map((s) => [Buffer.from(s.path, 'base64').toString(), s.sha256]));

describe('drill manifest sample', () => {
  it('hashes every regular file once, the deep one too, never through a symlink, with no fd left', async () => {
    const before = readdirSync('/proc/self/fd').length;
    const manifest = await captureManifest(ct, { exclude: [], sample: sampleSizeFor(2), seed: 's' });
    expect(readdirSync('/proc/self/fd').length).toBe(before);
    const hashes = sampled(manifest.sample);
    expect(manifest.files).toBe(32);
    expect(manifest.left_out).toBe(0);
    expect(hashes.size).toBe(32);
    expect(hashes.get(`rootfs/${Array.from({ length: 70 }, (_, i) => `d${i}`).join('/')}/bottom`)).toBe(sha('deep file'));
    expect(hashes.get('rootfs/etc/s3/f10')).toBe(sha('file 10'));
    expect([...hashes.values()]).not.toContain(sha('not the guest'));
  });

  it('reads rootfs/ from the snapshot view when given one', async () => {
    const view = join(dir, 'view');
    await cp(join(ct, 'rootfs'), view, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
    // Same size and mtime as the live file the walk saw: only the content tells them apart.
    const file = join(view, 'etc', 's3', 'f10');
    await writeFile(file, 'snap 10');
    await utimes(file, new Date(0), new Date(0));
    await utimes(join(ct, 'rootfs', 'etc', 's3', 'f10'), new Date(0), new Date(0));
    const manifest = await captureManifest(ct, {
      exclude: [],
      sample: sampleSizeFor(2),
      seed: 's',
      rootfsView: view,
    });
    const hashes = sampled(manifest.sample);
    expect(hashes.get('rootfs/etc/s3/f10')).toBe(sha('snap 10'));
    expect(hashes.get('config')).toBe(sha('lxc.uts.name = ct\n'));
    expect(manifest.left_out).toBe(0);
  });
});
