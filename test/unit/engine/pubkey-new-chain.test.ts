// The pure parts of starting a new chain without the private key: which failures qualify, and
// which cache names stand in for the target's metadata.
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JobContext } from '../../../agent/engine/job-context.js';
import { clearPlaceholders, failedForPrivateKeyInSync, placeholderNames } from '../../../agent/engine/pubkey-new-chain.js';
import { makeTempDir, removeDir } from '../../support/temp.js';

describe('failedForPrivateKeyInSync', () => {
  it('is true only for a copy into the cache that gpg could not decrypt', () => {
    const stdout =
      'Synchronizing remote metadata to local cache...\nCopying duplicity-full-signatures.20261201T021218Z.sigtar.gpg to local cache.\n';
    const stderr = 'GPGError: GPG Failed\ngpg: decryption failed: No secret key\n';
    expect(failedForPrivateKeyInSync({ stdout, stderr })).toBe(true);
    expect(failedForPrivateKeyInSync({ stdout: '', stderr })).toBe(false);
    expect(failedForPrivateKeyInSync({ stdout, stderr: 'gpg: decryption failed: Bad session key\n' })).toBe(false);
  });
});

describe('placeholderNames', () => {
  it('names the cache files of the metadata missing from the cache, never volumes or what is there', () => {
    const remote = [
      'duplicity-full.20261201T021218Z.manifest.gpg',
      'duplicity-full.20261201T021218Z.vol1.difftar.gpg',
      'duplicity-full-signatures.20261201T021218Z.sigtar.gpg',
      'duplicity-inc.20261201T021218Z.to.20261201T021219Z.manifest.gpg',
      'duplicity-new-signatures.20261201T021218Z.to.20261201T021219Z.sigtar.gpg',
      'duplicity-full.20261202T000000Z.manifest.gpg',
      'lxc-backup-owner.json',
    ];
    const local = ['duplicity-full.20261202T000000Z.manifest'];
    expect(placeholderNames(remote, local)).toEqual([
      'duplicity-full.20261201T021218Z.manifest',
      'duplicity-full-signatures.20261201T021218Z.sigtar.gz',
      'duplicity-inc.20261201T021218Z.to.20261201T021219Z.manifest',
      'duplicity-new-signatures.20261201T021218Z.to.20261201T021219Z.sigtar.gz',
    ]);
    expect(placeholderNames(remote.slice(2, 3), ['duplicity-full-signatures.20261201T021218Z.sigtar.part'])).toEqual([]);
  });
});

describe('clearPlaceholders', () => {
  it('removes only empty metadata files, and only in pubkey mode', async () => {
    const dir = await makeTempDir('placeholders');
    try {
      await mkdir(join(dir, 'web'));
      const names = {
        'duplicity-full.20261201T021218Z.manifest': '',
        'duplicity-full-signatures.20261201T021218Z.sigtar.gz': '',
        'duplicity-full.20261202T000000Z.manifest': 'Hostname x\n',
        'duplicity-inc.20261202T000000Z.to.20261202T000001Z.manifest.part': '',
      };
      for (const [name, text] of Object.entries(names)) await writeFile(join(dir, 'web', name), text);
      const ctx = (mode: string) =>
        ({ container: { settings: { encryption: { mode } } }, layout: { archiveDir: dir, name: 'web' } }) as unknown as JobContext;
      expect(await clearPlaceholders(ctx('symmetric'))).toEqual([]);
      expect((await clearPlaceholders(ctx('pubkey'))).sort()).toEqual([
        'duplicity-full-signatures.20261201T021218Z.sigtar.gz',
        'duplicity-full.20261201T021218Z.manifest',
      ]);
      expect((await readdir(join(dir, 'web'))).sort()).toEqual([
        'duplicity-full.20261202T000000Z.manifest',
        'duplicity-inc.20261202T000000Z.to.20261202T000001Z.manifest.part',
      ]);
    } finally {
      await removeDir(dir);
    }
  });
});
