// Counting the entries of a getfattr dump as it is read in pieces.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countDumpEntries } from '../../../../agent/engine/fidelity/count-dump-entries.js';
import { makeTempDir, removeDir } from '../../../support/temp.js';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir('count-dump-entries');
});
afterEach(async () => {
  await removeDir(dir);
});

describe('countDumpEntries', () => {
  it.each([1, 2, 3, 5, 8, 9, 64 * 1024])('counts "# file:" headers split at any byte (reads of %i bytes)', async (chunk) => {
    const dump = '# file: rootfs\nuser.a=0x31\n\n# file: rootfs/x\\012# file: y\nuser.b=0x32\n\n# file: z\nuser.c=0x23\n';
    const path = join(dir, 'xattrs.dump');
    await writeFile(path, dump);
    expect(await countDumpEntries(path, chunk)).toBe(3);
  });

  it('counts nothing in an empty dump', async () => {
    await writeFile(join(dir, 'empty'), '');
    expect(await countDumpEntries(join(dir, 'empty'))).toBe(0);
  });
});
