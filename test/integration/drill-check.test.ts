// Restore drills against real duplicity on a file:// target: an untouched backup passes, a
// corrupted volume fails with duplicity's error, and a volume tampered with in a way duplicity
// cannot see (decrypted, changed, re-encrypted, its manifest hash updated) fails naming the file.
import { execa } from 'execa';
import { createHash } from 'node:crypto';
import { mkdir, open, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupNow, DRILL_PASSPHRASE, type DrillWorld, drillNow, makeDrillContainer, makeDrillWorld } from '../support/drill-world.js';

let world: DrillWorld;

beforeAll(async () => {
  world = await makeDrillWorld('drill-check');
  await mkdir(join(world.dir, 'gnupg-test'), { mode: 0o700 });
});
afterAll(async () => world.remove());

const gpg = (args: string[]) =>
  execa('gpg', [
    '--batch',
    '--yes',
    '--pinentry-mode',
    'loopback',
    '--passphrase',
    DRILL_PASSPHRASE,
    '--homedir',
    join(world.dir, 'gnupg-test'),
    ...args,
  ]);

async function volumeOf(name: string, kind: RegExp): Promise<string> {
  const files = await readdir(join(world.target, name));
  const file = files.find((f) => kind.test(f));
  if (!file) throw new Error(`no ${kind} in ${files.join(', ')}`);
  return join(world.target, name, file);
}

async function drillDirEmpty(): Promise<void> {
  expect(await readdir(join(world.stateDir, 'drill')).catch(() => [])).toEqual([]);
}

describe('restore drill', () => {
  it('passes on an untouched backup, with sampled files, no mismatches and its duration', async () => {
    await makeDrillContainer(world, 'calm', 30, { 'usr/bin/tool': Buffer.alloc(300_000, 7) });
    await backupNow(world, 'calm');
    const { code, result, err } = await drillNow(world, 'calm');
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(result).toMatchObject({ ok: true, mismatches: 0 });
    // 30 files, the tool and the container's config.
    expect(result?.sampled).toBe(32);
    expect(result?.durationMs).toBeGreaterThan(0);
    expect(result?.bytes).toBeGreaterThan(300_000);
    await drillDirEmpty();
    const full = await drillNow(world, 'calm', ['--full']);
    expect(full.result).toMatchObject({ ok: true, hashed: 32 });
  });

  it("fails with duplicity's error when a byte of a difftar volume is flipped", async () => {
    await makeDrillContainer(world, 'flip', 20);
    await backupNow(world, 'flip');
    const volume = await volumeOf('flip', /\.difftar\.gpg$/);
    const handle = await open(volume, 'r+');
    const size = (await handle.stat()).size;
    const byte = Buffer.alloc(1);
    await handle.read(byte, 0, 1, Math.floor(size / 2));
    byte[0] = (byte[0] ?? 0) ^ 0xff;
    await handle.write(byte, 0, 1, Math.floor(size / 2));
    await handle.close();
    const { code, result } = await drillNow(world, 'flip');
    expect(code).toBe(1);
    expect(result?.ok).toBe(false);
    expect(result?.failure).toMatch(/restore failed: .*(hash mismatch|Invalid data|gpg|decrypt)/i);
    await drillDirEmpty();
  });

  it('fails naming the file when a volume is re-encrypted with a changed file and a matching manifest', async () => {
    await makeDrillContainer(world, 'tamper', 10, { 'etc/secret-plan': 'ORIGINAL-CONTENT-0001\n' });
    await backupNow(world, 'tamper');
    const volume = await volumeOf('tamper', /\.difftar\.gpg$/);
    const plain = join(world.dir, 'vol.tar');
    await gpg(['--output', plain, '--decrypt', volume]);
    const tar = await readFile(plain);
    const at = tar.indexOf('ORIGINAL-CONTENT-0001');
    expect(at).toBeGreaterThan(0);
    tar.write('TAMPERED-CONTENT-0001', at);
    await writeFile(plain, tar);
    await gpg(['--output', volume, '--symmetric', plain]);
    // duplicity checks each volume against the hash in its manifest: give it the new one.
    const manifest = await volumeOf('tamper', /\.manifest\.gpg$/);
    const manifestPlain = join(world.dir, 'manifest.txt');
    await gpg(['--output', manifestPlain, '--decrypt', manifest]);
    const sha1 = createHash('sha1')
      .update(await readFile(volume))
      .digest('hex');
    const text = (await readFile(manifestPlain, 'latin1')).replace(/(Hash SHA1 )[0-9a-f]{40}/i, `$1${sha1}`);
    await writeFile(manifestPlain, text, 'latin1');
    await gpg(['--output', manifest, '--symmetric', manifestPlain]);
    // The local cache keeps its own manifest copy: without it duplicity reads the target's.
    await rm(join(world.stateDir, 'cache'), { recursive: true, force: true });
    const { code, result } = await drillNow(world, 'tamper');
    expect(code).toBe(1);
    expect(result).toMatchObject({ ok: false, mismatches: 1 });
    expect(result?.examples[0]).toMatchObject({ path: 'rootfs/etc/secret-plan' });
    expect(result?.examples[0]?.problem).toMatch(/content differs/);
    expect(result?.failure).toMatch(/rootfs\/etc\/secret-plan: content differs/);
    await drillDirEmpty();
  });
});
