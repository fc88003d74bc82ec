// The manifest's totals and sample from capture walk records: root, sockets, excluded and
// over-long entries left out; files an unsupported pattern might exclude never sampled.
import { describe, expect, it } from 'vitest';
import { createManifestWalk, type WalkedTree } from '../../../../agent/engine/drill/manifest-walk.js';
import { createTotals, type TreeEntry } from '../../../../agent/engine/drill/tree-totals.js';
import { compileExcludes } from '../../../../agent/engine/exclude-globs.js';

interface Entry {
  type: string;
  mode?: string;
  size?: number;
  path: string | Buffer;
}

// One walk record: `%y %C@ %m %U %G %D %i %n %s %b %T@ %p\0`.
function rec(e: Entry): Buffer {
  const head = `${e.type} 1700000000.5 ${e.mode ?? '644'} 1000 1001 2049 7 1 ${e.size ?? 5} 8 1700000000.25 `;
  const path = typeof e.path === 'string' ? Buffer.from(e.path) : e.path;
  return Buffer.concat([Buffer.from(head), path, Buffer.from([0])]);
}

const ALL_OF_IT = { percent: 100, min: 1000, max: 1000 };

function walk(entries: Entry[], excludes: string[], chunk = 0): WalkedTree {
  const all = Buffer.concat(entries.map(rec));
  const collector = createManifestWalk(compileExcludes(excludes), 'seed', ALL_OF_IT);
  if (chunk === 0) collector.write(all);
  else for (let i = 0; i < all.length; i += chunk) collector.write(Buffer.from(all.subarray(i, i + chunk)));
  return collector.finish();
}

function totalsOf(entries: TreeEntry[]) {
  const totals = createTotals();
  for (const entry of entries) totals.add(entry);
  return totals.result();
}

const odd = Buffer.from('./rootfs/odd\nname \xff', 'latin1');
const TREE: Entry[] = [
  { type: 'd', path: '.', mode: '755' },
  { type: 'f', path: './config', size: 100 },
  { type: 'd', path: './rootfs/tmp', mode: '1777', size: 4096 },
  { type: 'f', path: './rootfs/tmp/junk' },
  { type: 's', path: './rootfs/run.sock', mode: '777' },
  { type: 'l', path: './rootfs/bin', mode: '777', size: 7 },
  { type: 'f', path: odd, size: 9 },
];

describe('createManifestWalk', () => {
  it('totals and samples every kept entry, whatever the chunking', () => {
    const expected = totalsOf([
      { type: 'f', mode: 0o644, uid: 1000, gid: 1001, size: 100, path: Buffer.from('config') },
      { type: 'd', mode: 0o1777, uid: 1000, gid: 1001, size: 4096, path: Buffer.from('rootfs/tmp') },
      { type: 'l', mode: 0o777, uid: 1000, gid: 1001, size: 7, path: Buffer.from('rootfs/bin') },
      { type: 'f', mode: 0o644, uid: 1000, gid: 1001, size: 9, path: odd.subarray(2) },
    ]);
    for (const chunk of [0, 1, 7, 100]) {
      const tree = walk(TREE, ['rootfs/tmp/**'], chunk);
      expect(tree.totals).toEqual(expected);
      expect(tree.files).toBe(2);
      expect(tree.picked.map((c) => c.item.path.toString('latin1')).sort()).toEqual(['config', 'rootfs/odd\nname \xff']);
      expect(tree.picked.find((c) => c.item.size === 9)?.item).toMatchObject({ mode: 0o644, uid: 1000, gid: 1001, mtime: 1700000000 });
    }
  });

  it('counts paths of PATH_MAX bytes or more instead of keeping them', () => {
    const long = `./rootfs/${'a/'.repeat(2100)}`;
    const tree = walk([...TREE, { type: 'f', path: `${long}x` }, { type: 'f', path: `./rootfs/${'b'.repeat(4090)}` }], []);
    expect(tree.tooLong).toBe(2);
    expect(tree.files).toBe(3);
  });

  it('keeps files an unsupported pattern might exclude in the totals but never in the sample', () => {
    const entries: Entry[] = [
      { type: 'f', path: './rootfs/ac' },
      { type: 'f', path: './rootfs/bc' },
      { type: 'f', path: './rootfs/keep' },
      { type: 'f', path: './rootfs/ACHE/x' },
    ];
    const tree = walk(entries, ['rootfs/[ab]c', 'ignorecase:rootfs/ache']);
    expect(tree.totals.entries).toBe(4);
    expect(tree.files).toBe(4);
    expect(tree.picked.map((c) => c.item.path.toString())).toEqual(['rootfs/keep']);
  });

  it('names the record when the walk printed something else', () => {
    const collector = createManifestWalk(compileExcludes([]), 'seed', ALL_OF_IT);
    expect(() => collector.write(Buffer.from('f 1.0 644 0 0 1 2 1 7 0 5.0 ./ok\0f 1.0 644 x\0'))).toThrow(/walk record #2: expected/);
  });
});
