// The pure parts of starting a new chain without the private key: which failures qualify, and
// which cache names stand in for the target's metadata.
import { describe, expect, it } from 'vitest';
import { failedForPrivateKeyInSync, placeholderNames } from '../../../agent/engine/pubkey-new-chain.js';

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
