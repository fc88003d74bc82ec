// Which interrupted incrementals are never resumed: those whose signatures were final in the
// archive cache when the run died (resuming them loses data with duplicity 0.8.22 and 3.0.4).
import { describe, expect, it } from 'vitest';
import { unsafeCheckpoints } from '../../../agent/engine/interrupted-incremental.js';

const KEY = '20261201T004023Z.to.20261201T004026Z';
const FULL = ['duplicity-full.20261201T004023Z.manifest', 'duplicity-full-signatures.20261201T004023Z.sigtar.gz'];

describe('unsafeCheckpoints', () => {
  it.each([
    ['killed before the manifest upload', [`duplicity-inc.${KEY}.manifest.part`, `duplicity-new-signatures.${KEY}.sigtar.gz`]],
    [
      'killed while the signatures were being finalised',
      [`duplicity-inc.${KEY}.manifest.part`, `duplicity-new-signatures.${KEY}.sigtar.gz`, `duplicity-new-signatures.${KEY}.sigtar.part`],
    ],
  ])('discards an incremental %s', (_label, names) => {
    expect(unsafeCheckpoints([...FULL, ...names])).toEqual([KEY]);
  });

  it.each([
    [
      'killed during its volumes (signatures still .part)',
      [`duplicity-inc.${KEY}.manifest.part`, `duplicity-new-signatures.${KEY}.sigtar.part`],
    ],
    ['complete', [`duplicity-inc.${KEY}.manifest`, `duplicity-new-signatures.${KEY}.sigtar.gz`]],
    [
      'a full killed before its manifest',
      ['duplicity-full.20261202T000000Z.manifest.part', 'duplicity-full-signatures.20261202T000000Z.sigtar.gz'],
    ],
    [
      'signatures of another set',
      [`duplicity-inc.${KEY}.manifest.part`, 'duplicity-new-signatures.20261201T004026Z.to.20261201T005000Z.sigtar.gz'],
    ],
  ])('resumes (or leaves alone) an incremental %s', (_label, names) => {
    expect(unsafeCheckpoints([...FULL, ...names])).toEqual([]);
  });
});
