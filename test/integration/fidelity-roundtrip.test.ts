import { execa } from 'execa';
import { mkdir, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyMetadata } from '../../agent/engine/fidelity/apply.js';
import { APPLY_SCRIPT } from '../../agent/engine/fidelity/apply-script.js';
import { captureMetadata } from '../../agent/engine/fidelity/capture.js';
import { buildFixture, duplicityArgs, entries, linkGroups, run, xattrMap } from '../support/fidelity-tree.js';
import { makeTempDir, removeDir } from '../support/temp.js';

let work: string;
let src: string;
let meta: string;
let outside: string;

beforeEach(async () => {
  work = await makeTempDir('fidelity');
  src = join(work, 'web');
  meta = join(work, 'meta');
  outside = join(work, 'outside-target');
  await buildFixture(src, outside);
});

afterEach(async () => {
  await removeDir(work);
});

async function backupAndRestore(dest: string, fileToRestore?: string): Promise<void> {
  const target = `file://${join(work, 'target')}`;
  await execa('duplicity', duplicityArgs(work, ['full'], [src, target]));
  const sub = fileToRestore ? ['--file-to-restore', fileToRestore] : [];
  await execa('duplicity', duplicityArgs(work, ['restore'], [...sub, target, dest]));
}

describe('captureMetadata + duplicity restore + apply', () => {
  it('restores xattrs, ACLs, capabilities, hard links, holes and mtimes that duplicity loses', async () => {
    const summary = await captureMetadata(src, meta);
    // user-xattr, acl-file, acl-dir, ping, sparse.img, 5 odd names, abs-symlink
    expect(summary).toMatchObject({ xattrFiles: 11, hardlinkGroups: 2, sparseFiles: 1 });
    expect(summary.bytes).toBeGreaterThan(APPLY_SCRIPT.length);
    expect((await readdir(meta)).sort()).toEqual(['README.txt', 'apply.py', 'apply.sh', 'hardlinks.nul', 'sparse.nul', 'xattrs.dump']);

    const restored = join(work, 'restored');
    await backupAndRestore(restored);
    const before = await entries(src);
    const bare = await entries(restored);

    // Without apply: the module is needed.
    expect(await xattrMap(restored)).toEqual(new Map());
    expect(await run('getcap', ['rootfs/bin/ping'], restored)).toBe('');
    expect(linkGroups(bare)).toEqual([]);
    expect(bare.get('rootfs/sparse.img')!.blocks * 512).toBeGreaterThanOrEqual(64 << 20);

    const applied = await applyMetadata(restored, meta);
    expect(applied).toEqual({ linked: 3, sparse: 1, xattrFiles: 11, skipped: 0 });

    const after = await entries(restored);
    expect(await xattrMap(restored)).toEqual(await xattrMap(src));
    expect(await run('getfacl', ['-p', 'rootfs/etc/acl-file', 'rootfs/acl-dir'], restored)).toBe(
      await run('getfacl', ['-p', 'rootfs/etc/acl-file', 'rootfs/acl-dir'], src),
    );
    expect(await run('getcap', ['rootfs/bin/ping'], restored)).toBe('rootfs/bin/ping cap_net_raw=ep');
    expect(await run('getcap', ['rootfs/sparse.img'], restored)).toBe('rootfs/sparse.img cap_net_raw=ep');
    expect(linkGroups(after)).toEqual(linkGroups(before));
    expect(linkGroups(after)).toHaveLength(2);
    expect(after.get('rootfs/sparse.img')!.blocks * 512).toBeLessThan(1 << 20);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [path, e] of before) {
      const got = after.get(path)!;
      expect({ path, mode: got.mode, owner: got.owner }).toEqual({ path, mode: e.mode, owner: e.owner });
      // duplicity does not restore a symlink's own mtime.
      if (e.type !== 'l') expect({ path, mtime: got.mtimeSec }).toEqual({ path, mtime: e.mtimeSec });
    }
    expect(after.get('rootfs/bin/suid')!.mode).toBe('4755');
    expect(after.get('rootfs/etc/owned')!.owner).toBe('100123:100123');
    // The absolute symlink's own xattr came back; its target outside the tree was not touched.
    expect(await run('getfattr', ['-d', '-m', '-', outside])).toBe('');
  });

  it('applies a subtree restore (--file-to-restore rootfs/etc) with plain bash, re-rooting paths', async () => {
    await captureMetadata(src, meta);
    const restored = join(work, 'etc-only');
    await backupAndRestore(restored, 'rootfs/etc');
    expect(linkGroups(await entries(restored))).toEqual([]);

    const { stdout } = await execa('bash', [join(meta, 'apply.sh'), restored, './rootfs/etc/']);
    // link-a/sub/link-b and the pair relink; bin/link-c, sparse.img and the xattrs of
    // rootfs/bin/ping, rootfs/acl-dir and rootfs/sparse.img are outside the subtree.
    expect(stdout).toBe('summary linked=2 sparse=0 xattr_files=8 skipped=5');

    const srcEtc = new Map([...(await xattrMap(join(src, 'rootfs/etc')))].filter(([p]) => p !== '.'));
    expect(await xattrMap(restored)).toEqual(srcEtc);
    expect(linkGroups(await entries(restored))).toEqual([
      ['link-a', 'sub/link-b'],
      ['pair', 'pair new\nline'],
    ]);
    expect(await run('getfattr', ['-d', '-m', '-', outside])).toBe('');
  });

  it('applies to a single restored file (SUBPATH names a file)', async () => {
    await captureMetadata(src, meta);
    const restored = join(work, 'ping');
    await backupAndRestore(restored, 'rootfs/bin/ping');
    expect(await applyMetadata(restored, meta, { subpath: 'rootfs/bin/ping' })).toMatchObject({ xattrFiles: 1 });
    expect(await run('getcap', [restored])).toBe(`${restored} cap_net_raw=ep`);
  });
});

describe('captureMetadata', () => {
  it('replaces previous content and leaves no temp files', async () => {
    await captureMetadata(src, meta);
    await rm(join(src, 'rootfs/etc/pair new\nline'));
    const second = await captureMetadata(src, meta);
    expect(second.hardlinkGroups).toBe(1);
    expect((await readdir(meta)).filter((n) => n.startsWith('.'))).toEqual([]);
    expect(await readFile(join(meta, 'apply.sh'), 'utf8')).toBe(APPLY_SCRIPT);
  });

  it('fails with one line when the container directory is missing', async () => {
    await expect(captureMetadata(join(work, 'nope'), meta)).rejects.toThrow(/^captureMetadata: .*nope is not a directory$/);
  });
});

describe('applyMetadata', () => {
  it('names the missing tool and package in one line', async () => {
    await captureMetadata(src, meta);
    const bin = join(work, 'bin');
    await mkdir(bin);
    const apply = (): Promise<{ exitCode?: number; stderr: string }> =>
      execa('/usr/bin/bash', [join(meta, 'apply.sh'), src], { env: { PATH: bin }, extendEnv: false, reject: false });
    let res = await apply();
    expect(res.exitCode).toBe(2);
    expect(res.stderr).toBe("apply.sh: 'python3' not found: install package python3");
    // The fixture has a sparse file, so apply.py needs fallocate.
    // The interpreter itself (python3 on PATH may be a wrapper script that needs more tools).
    await symlink(await run('python3', ['-c', 'import sys; print(sys.executable)']), join(bin, 'python3'));
    res = await apply();
    expect(res.exitCode).toBe(2);
    expect(res.stderr).toBe("apply.py: 'fallocate' not found: install package util-linux");
  });

  it('explains a missing metadata directory', async () => {
    await expect(applyMetadata(src, join(work, 'no-meta'))).rejects.toThrow(
      /no-meta\/xattrs\.dump not found: restore the metadata directory first/,
    );
  });
});
