// The fingerprint over walk records: the same for the same records however they are chunked,
// different for any change to a kept record, blind to excluded ones.
import { describe, expect, it } from 'vitest';
import { compileExcludes } from '../../../../agent/engine/exclude-globs.js';
import { createFingerprintCollector, type WalkFingerprint } from '../../../../agent/engine/change-detection/walk-fingerprint.js';

const started = Date.parse('2026-12-01T03:00:00Z');
const old = started / 1000 - 3600;

interface Entry {
  type?: string;
  ctime?: number | string;
  mode?: string;
  uid?: number;
  size?: number;
  mtime?: string;
  ino?: number;
  path: string | Buffer;
}

// One walk record: `%y %C@ %m %U %G %D %i %n %s %b %T@ %p\0`.
function rec(e: Entry): Buffer {
  const ctime = typeof e.ctime === 'string' ? e.ctime : `${e.ctime ?? old}.5000000000`;
  const head = `${e.type ?? 'f'} ${ctime} ${e.mode ?? '644'} ${e.uid ?? 0} 0 2049 ${e.ino ?? 7} 1 ${e.size ?? 5} 8 ${e.mtime ?? '1700000000.25'} `;
  const path = typeof e.path === 'string' ? Buffer.from(e.path) : e.path;
  return Buffer.concat([Buffer.from(head), path, Buffer.from([0])]);
}

const TREE: Entry[] = [
  { type: 'd', path: '.', mode: '755' },
  { type: 'f', path: './config' },
  { type: 'd', path: './rootfs/tmp', mode: '1777' },
  { type: 'f', path: './rootfs/tmp/junk', ino: 9 },
  { type: 'l', path: './rootfs/bin', mode: '777' },
  { type: 'f', path: Buffer.from('./rootfs/odd\nname\xff', 'latin1'), ino: 11 },
];

function fingerprint(entries: Entry[], chunkAt: number[] = [], excludes: string[] = ['rootfs/tmp/**'], since?: number): WalkFingerprint {
  const all = Buffer.concat(entries.map(rec));
  const collector = createFingerprintCollector(compileExcludes(excludes), started, since);
  const edges = [0, ...chunkAt, all.length];
  for (let i = 1; i < edges.length; i++) collector.write(Buffer.from(all.subarray(edges[i - 1], edges[i])));
  return collector.finish();
}

describe('createFingerprintCollector', () => {
  const whole = fingerprint(TREE);

  it('hashes every kept entry, settled when all ctimes are old', () => {
    expect(whole.entries).toBe(5);
    expect(whole.settled).toBe(true);
    expect(whole.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives the same digest wherever the chunks are cut', () => {
    const length = Buffer.concat(TREE.map(rec)).length;
    for (let a = 1; a < length; a += 7) {
      expect(fingerprint(TREE, [a]).digest).toBe(whole.digest);
      expect(fingerprint(TREE, [a, Math.min(length - 1, a + 3)]).digest).toBe(whole.digest);
    }
  });

  it.each<[string, Partial<Entry>]>([
    ['a ctime', { ctime: old + 1 }],
    ['a ctime fraction', { ctime: `${old}.5000000001` }],
    ['a mode', { mode: '600' }],
    ['an owner', { uid: 1000 }],
    ['a size', { size: 6 }],
    ['an mtime', { mtime: '1700000000.26' }],
    ['an inode', { ino: 70 }],
    ['a name', { path: './conFig' }],
    ['a type', { type: 'd' }],
  ])('changes with %s', (_what, change) => {
    const changed = TREE.map((e, i) => (i === 1 ? { ...e, ...change } : e));
    expect(fingerprint(changed).digest).not.toBe(whole.digest);
  });

  it('changes when an entry is added or removed, not when an excluded one changes', () => {
    expect(fingerprint([...TREE, { type: 'd', path: './rootfs/new' }]).digest).not.toBe(whole.digest);
    expect(fingerprint(TREE.filter((_, i) => i !== 4)).digest).not.toBe(whole.digest);
    const tmpChanged = TREE.map((e, i) => (i === 3 ? { ...e, size: 999, ctime: old + 5 } : e));
    expect(fingerprint(tmpChanged).digest).toBe(whole.digest);
    expect(fingerprint(tmpChanged, [], []).digest).not.toBe(fingerprint(TREE, [], []).digest);
  });

  it('is unsettled when a kept ctime is within the settle margin of the walk or after it', () => {
    expect(fingerprint([...TREE, { path: './fresh', ctime: started / 1000 - 1 }]).settled).toBe(false);
    expect(fingerprint([...TREE, { path: './future', ctime: started / 1000 + 3600 }]).settled).toBe(false);
    expect(fingerprint([...TREE, { path: './garbled', ctime: 'x' }]).settled).toBe(false);
    expect(fingerprint([...TREE, { path: './rootfs/tmp/fresh', ctime: started / 1000 }]).settled).toBe(true);
  });

  it('counts regular files whose ctime moved since the last walk while their mtime did not', () => {
    const since = started - 600_000;
    const s = since / 1000;
    const tree: Entry[] = [
      { path: './hidden', ctime: s + 10, mtime: `${s - 100}.5` },
      { path: './written', ctime: s + 10, mtime: `${s + 10}.5` },
      { path: './untouched', ctime: s - 100, mtime: `${s - 100}.5` },
      { type: 'd', path: './dir-chmod', ctime: s + 10, mtime: `${s - 100}.5` },
      { path: './rootfs/tmp/excluded', ctime: s + 10, mtime: `${s - 100}.5` },
    ];
    expect(fingerprint(tree, [], ['rootfs/tmp/**'], since).ctimeOnly).toBe(1);
    expect(fingerprint(tree).ctimeOnly).toBe(0);
  });

  it('keeps an over-long record in the digest by its length, head and tail', () => {
    const long = (c: string): Entry => ({ path: `./${'d/'.repeat(2100)}${c}` });
    const a = fingerprint([...TREE, long('a')]);
    expect(a.entries).toBe(6);
    expect(a.digest).not.toBe(fingerprint([...TREE, long('b')]).digest);
  });

  it('rejects a record without the walk fields', () => {
    const collector = createFingerprintCollector(compileExcludes([]), started);
    expect(() => collector.write(Buffer.from('f 1 2 ./x\0'))).toThrow(/walk record #1: expected 11 fields/);
  });
});
