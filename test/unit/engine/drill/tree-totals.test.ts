import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTotals, entryHash, type TreeEntry } from '../../../../agent/engine/drill/tree-totals.js';

const entry = (path: string, over: Partial<TreeEntry> = {}): TreeEntry => ({
  type: 'f',
  size: 10,
  mode: 0o644,
  uid: 0,
  gid: 0,
  path: Buffer.from(path),
  ...over,
});
const totalsOf = (entries: TreeEntry[]) => {
  const acc = createTotals();
  for (const e of entries) acc.add(e);
  return acc.result();
};

describe('tree totals', () => {
  const tree = [
    entry('rootfs', { type: 'd', size: 4096, mode: 0o755 }),
    entry('rootfs/a'),
    entry('rootfs/b', { size: 5 }),
    entry('rootfs/l', { type: 'l', size: 1, mode: 0o777 }),
  ];

  it('counts entries and the bytes of regular files', () => {
    const totals = totalsOf(tree);
    expect(totals.entries).toBe(4);
    expect(totals.bytes).toBe(15);
    expect(totals.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives the same digest in any order, and ignores a directory size', () => {
    const moved = [...tree].reverse().map((e) => (e.type === 'd' ? { ...e, size: 120 } : e));
    expect(totalsOf(moved)).toEqual(totalsOf(tree));
  });

  it('changes the digest for any changed field or path', () => {
    const base = totalsOf(tree).digest;
    for (const change of [{ mode: 0o600 }, { uid: 1000 }, { gid: 5 }, { size: 11 }, { type: 'l' }, { path: Buffer.from('rootfs/c') }]) {
      const changed = tree.map((e, i) => (i === 1 ? { ...e, ...change } : e));
      expect(totalsOf(changed).digest).not.toBe(base);
    }
  });
});

describe('entryHash', () => {
  it('is the sha256 of type, size, octal mode, uid, gid and path, NUL-separated (the manifest format)', () => {
    const path = Buffer.from('rootfs/odd\nname\xff', 'latin1');
    const spec = (head: string, p: Buffer) => createHash('sha256').update(head).update(p).digest();
    expect(entryHash(entry('x', { path, mode: 0o4755, uid: 1000, gid: 7 }))).toEqual(spec('f\x0010\x004755\x001000\x007\x00', path));
    // A directory's size counts as 0; a path too long for the scratch buffer still hashes the same.
    const long = Buffer.alloc(9000, 0x61);
    expect(entryHash(entry('x', { type: 'd', size: 4096, path: long }))).toEqual(spec('d\x000\x00644\x000\x000\x00', long));
  });
});

describe('tree totals digest', () => {
  it('is the sum mod 2^256 of every entry hash (checked against BigInt)', () => {
    const entries = Array.from({ length: 3000 }, (_, i) => entry(`rootfs/f${i}`, { size: i }));
    const acc = createTotals();
    let sum = 0n;
    for (const e of entries) {
      acc.add(e);
      sum = (sum + BigInt(`0x${entryHash(e).toString('hex')}`)) % 2n ** 256n;
    }
    expect(acc.result().digest).toBe(sum.toString(16).padStart(64, '0'));
  });
});
