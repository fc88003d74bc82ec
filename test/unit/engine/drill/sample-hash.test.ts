// Hashing the drill sample: the walk's view checked again, links refused, order kept, no fd left.
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { mkdir, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashSample, type SampleItem } from '../../../../agent/engine/drill/sample-hash.js';
import { makeTempDir, removeDir } from '../../../support/temp.js';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir('sample-hash');
  await mkdir(join(dir, 'ct', 'rootfs', 'etc'), { recursive: true });
  await mkdir(join(dir, 'view', 'etc'), { recursive: true });
  await mkdir(join(dir, 'outside'));
  await writeFile(join(dir, 'ct', 'config'), 'lxc.uts.name = ct\n');
  await writeFile(join(dir, 'ct', 'rootfs', 'etc', 'hosts'), 'live copy');
  await writeFile(join(dir, 'view', 'etc', 'hosts'), 'snapshot!');
  await writeFile(join(dir, 'view', 'big'), Buffer.alloc(2.5 * 1024 * 1024, 7));
  await writeFile(join(dir, 'outside', 'secret'), 'outside!!');
  await symlink(join(dir, 'outside', 'secret'), join(dir, 'view', 'link'));
  await symlink(join(dir, 'outside'), join(dir, 'view', 'dirlink'));
});
afterEach(async () => removeDir(dir));

const sha = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

// An item as the walk saw the file at `real` (its path in the manifest is `path`).
async function item(root: string, relative: string, path: string, real = join(root, relative)): Promise<SampleItem> {
  const info = await stat(real);
  const entry = {
    type: 'f',
    size: info.size,
    mode: info.mode & 0o7777,
    uid: info.uid,
    gid: info.gid,
    mtime: Math.floor(info.mtimeMs / 1000),
  };
  return { root, path: Buffer.from(relative), entry: { ...entry, path: Buffer.from(path) } };
}

describe('hashSample', () => {
  it('hashes each file beneath its own root and answers in the items’ order', async () => {
    const view = join(dir, 'view');
    const items = [
      await item(view, 'big', 'rootfs/big'),
      await item(join(dir, 'ct'), 'config', 'config'),
      await item(view, 'etc/hosts', 'rootfs/etc/hosts'),
    ];
    const hashed = await hashSample(items);
    expect(hashed.map((h) => h?.sha256)).toEqual([sha(Buffer.alloc(2.5 * 1024 * 1024, 7)), sha('lxc.uts.name = ct\n'), sha('snapshot!')]);
    expect(hashed.map((h) => Buffer.from(h?.path ?? '', 'base64').toString())).toEqual(['rootfs/big', 'config', 'rootfs/etc/hosts']);
  });

  it('leaves out links, files behind a linked directory, changed and vanished files', async () => {
    const view = join(dir, 'view');
    const secret = join(dir, 'outside', 'secret');
    const changed = await item(view, 'etc/hosts', 'rootfs/etc/hosts');
    changed.entry.size += 1;
    const items = [
      await item(view, 'link', 'rootfs/link', secret),
      await item(view, 'dirlink/secret', 'rootfs/dirlink/secret', secret),
      changed,
      { ...(await item(view, 'big', 'rootfs/big')), path: Buffer.from('gone') },
      await item(view, '../outside/secret', 'rootfs/../outside/secret', secret),
      await item(join(dir, 'ct'), 'config', 'config'),
    ];
    const before = readdirSync('/proc/self/fd').length;
    const hashed = await hashSample(items);
    expect(hashed.map((h) => h !== undefined)).toEqual([false, false, false, false, false, true]);
    expect(readdirSync('/proc/self/fd').length).toBe(before);
  });

  it('fails as a whole when aborted, holding no fd', async () => {
    const before = readdirSync('/proc/self/fd').length;
    const items = [await item(join(dir, 'view'), 'big', 'rootfs/big')];
    await expect(hashSample(items, AbortSignal.abort())).rejects.toThrow(/abort/i);
    expect(readdirSync('/proc/self/fd').length).toBe(before);
  });
});
