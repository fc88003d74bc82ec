// --key / --key-passphrase-file: a file or stdin, the passphrase as stdin's first line with
// `--key-passphrase-file -`, and the misuses refused in one line.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { keyFromArgs } from '../../../agent/cli/key-options.js';
import { makeTempDir, removeDir } from '../../support/temp.js';

const args = (options: Record<string, string>) => ({ positionals: ['web'], options });
const stdin = (text: string) => Readable.from([Buffer.from(text)]);
let dir = '';
afterEach(async () => {
  if (dir) await removeDir(dir);
});

describe('keyFromArgs', () => {
  it('is undefined without --key, and refuses a passphrase file alone', async () => {
    expect(await keyFromArgs(args({}))).toBeUndefined();
    await expect(keyFromArgs(args({ 'key-passphrase-file': '/x' }))).rejects.toThrow('--key-passphrase-file needs --key FILE');
  });

  it('reads the key from a file and the passphrase from the first line of another', async () => {
    dir = await makeTempDir('key-options');
    await writeFile(join(dir, 'k.asc'), 'KEY MATERIAL');
    await writeFile(join(dir, 'p'), 'pass phrase\nignored\n');
    const key = await keyFromArgs(args({ key: join(dir, 'k.asc'), 'key-passphrase-file': join(dir, 'p') }));
    expect(key).toMatchObject({ source: join(dir, 'k.asc'), passphrase: 'pass phrase' });
    expect(key?.key.toString()).toBe('KEY MATERIAL');
    await expect(keyFromArgs(args({ key: join(dir, 'missing') }))).rejects.toThrow(/cannot read --key .*missing/);
  });

  it('reads stdin: the key alone, or a passphrase line then the key', async () => {
    const alone = await keyFromArgs(args({ key: '-' }), stdin('-----BEGIN PGP PRIVATE KEY BLOCK-----\n'));
    expect(alone).toMatchObject({ source: 'stdin' });
    expect(alone?.passphrase).toBeUndefined();
    expect(alone?.askPassphrase).toBeUndefined();
    const both = await keyFromArgs(args({ key: '-', 'key-passphrase-file': '-' }), stdin('secret words\r\n-----BEGIN\n'));
    expect(both?.passphrase).toBe('secret words');
    expect(both?.key.toString()).toBe('-----BEGIN\n');
    await expect(keyFromArgs(args({ key: '/k', 'key-passphrase-file': '-' }))).rejects.toThrow(/only --key - also reads/);
  });
});
