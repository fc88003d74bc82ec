// hardlinks.nul and sparse.nul written in batches, byte for byte what the encoders produce.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeHardlinks, encodeSparse } from '../../../../agent/engine/fidelity/parse-find-output.js';
import { hardlinkPieces, sparsePieces, writePieces } from '../../../../agent/engine/fidelity/write-nul-file.js';
import { makeTempDir, removeDir } from '../../../support/temp.js';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir('write-nul-file');
});
afterEach(async () => {
  await removeDir(dir);
});

describe('writePieces', () => {
  it('writes hardlinks.nul and sparse.nul byte for byte as the encoders do, across batches', async () => {
    const groups = Array.from({ length: 3000 }, (_, i) => [Buffer.from(`a/${i}\nx`), Buffer.from([0xff, i & 0xff]), Buffer.from(`b ${i}`)]);
    const sparse = Array.from({ length: 3000 }, (_, i) => ({ mtime: `17000000${i}.5`, path: Buffer.from(`s/${i}`) }));
    await writePieces(join(dir, 'h'), hardlinkPieces(groups), 0o600);
    await writePieces(join(dir, 's'), sparsePieces(sparse), 0o600);
    await writePieces(join(dir, 'e'), hardlinkPieces([]), 0o600);
    expect(await readFile(join(dir, 'h'))).toEqual(encodeHardlinks(groups));
    expect(await readFile(join(dir, 's'))).toEqual(encodeSparse(sparse));
    expect(await readFile(join(dir, 'e'))).toEqual(Buffer.alloc(0));
  });
});
