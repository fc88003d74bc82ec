// The archive-cache healer: which leftovers of an interrupted duplicity are set aside (the
// states come from the crash matrix, test/integration/crash-matrix.test.ts), that they are
// moved into a dated directory and never deleted, and which failures count as leftovers.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chooseLeftovers, isLeftoverFailure, setAsideLeftovers } from '../../../agent/engine/cache-heal.js';
import { makeTempDir, removeDir } from '../../support/temp.js';

const SIG = 'duplicity-new-signatures.20261201T001948Z.to.20261201T002007Z.sigtar';
const MAN = 'duplicity-inc.20261201T001948Z.to.20261201T002007Z.manifest';
const FULL = ['duplicity-full-signatures.20261201T001948Z.sigtar.gz', 'duplicity-full.20261201T001948Z.manifest'];

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir('cache-heal');
});
afterEach(async () => removeDir(dir));

async function cache(files: Record<string, Buffer | string>): Promise<string[]> {
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  return Object.keys(files);
}

describe('chooseLeftovers', () => {
  it('sets aside the .part of signatures compressed whole, keeping the checkpoint manifest', async () => {
    const names = await cache({
      [`${SIG}.gz`]: gzipSync('sigs'),
      [`${SIG}.part`]: 'sigs',
      [`${MAN}.part`]: 'm',
      [FULL[0]!]: '',
      [FULL[1]!]: '',
    });
    expect(await chooseLeftovers(dir, names)).toEqual([`${SIG}.part`]);
  });

  it('sets aside the compressed copy instead when it was cut short', async () => {
    const cut = gzipSync(Buffer.alloc(100_000, 7)).subarray(0, 50);
    const names = await cache({ [`${SIG}.gz`]: cut, [`${SIG}.part`]: 'sigs', [`${MAN}.part`]: 'm' });
    expect(await chooseLeftovers(dir, names)).toEqual([`${SIG}.gz`]);
  });

  it('sets aside a manifest .part when no signatures are doubled (its manifest is on the target)', async () => {
    const names = await cache({ [`${SIG}.gz`]: gzipSync('sigs'), [`${MAN}.part`]: 'm', [FULL[0]!]: '', [FULL[1]!]: '' });
    expect(await chooseLeftovers(dir, names)).toEqual([`${MAN}.part`]);
  });

  it('chooses nothing in a cache without .part files', async () => {
    expect(await chooseLeftovers(dir, await cache({ [FULL[0]!]: '', [FULL[1]!]: '' }))).toEqual([]);
  });
});

describe('setAsideLeftovers', () => {
  it('moves the chosen files to state_dir/cache-aside/NAME/<time>/ with their content', async () => {
    const state = join(dir, 'state');
    const archive = join(state, 'cache', 'web');
    await mkdir(archive, { recursive: true });
    await writeFile(join(archive, `${MAN}.part`), 'checkpoint');
    await writeFile(join(archive, FULL[1]!), 'keep');
    const ctx = { layout: { archiveDir: join(state, 'cache'), name: 'web' }, policy: { state_dir: state } } as never;
    expect(await setAsideLeftovers(ctx, new Date('2026-12-01T00:20:00.123Z'))).toEqual([`${MAN}.part`]);
    expect(await readdir(archive)).toEqual([FULL[1]]);
    const aside = join(state, 'cache-aside', 'web', '2026-12-01T00-20-00-123Z');
    expect(await readFile(join(aside, `${MAN}.part`), 'utf8')).toBe('checkpoint');
    expect(await setAsideLeftovers(ctx)).toEqual([]);
  });
});

describe('isLeftoverFailure', () => {
  it.each([
    ['0.8.22, doubled signatures', 'File "dup_collections.py", line 992\n    assert len(chain_list) == 2\nAssertionError'],
    ['0.8.22, manifest already on the target', "AssertionError: Cannot set filename of remote manifest to b'x'; already set to b'x'"],
    // As 3.0.4 (Python 3.13) printed it in the backup container, exit 30 (test/e2e/crash-matrix-3x.test.ts).
    [
      '3.0.4, doubled signatures',
      '  File "/usr/lib/python3/dist-packages/duplicity/dup_collections.py", line 1024, in get_sorted_chains\n    assert len(chain_list) == 2\n           ^^^^^^^^^^^^^^^^^^^^\n AssertionError\n',
    ],
  ])('recognises %s', (_label, stderr) => expect(isLeftoverFailure(stderr)).toBe(true));

  it.each([
    ['a wrong passphrase', 'GPGError: decryption failed: Bad session key'],
    ['a full disk', 'OSError: [Errno 28] No space left on device'],
  ])('leaves %s alone', (_label, stderr) => expect(isLeftoverFailure(stderr)).toBe(false));
});
