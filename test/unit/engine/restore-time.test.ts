// Which set a restore without --time uses: the newest complete one, never a newer set that an
// interrupted backup left (a .manifest.part in the archive cache) or one recorded incomplete.
import { describe, expect, it } from 'vitest';
import { chooseRestoreSet } from '../../../agent/engine/restore-time.js';

const FULL = 'duplicity-full.20261201T001948Z.manifest';
const INC = 'duplicity-inc.20261201T001948Z.to.20261201T002007Z.manifest';
const NEXT = 'duplicity-inc.20261201T002007Z.to.20261201T002100Z.manifest';

describe('chooseRestoreSet', () => {
  it('skips an interrupted incremental and names it', () => {
    const choice = chooseRestoreSet([FULL, INC, `${NEXT}.part`], []);
    expect(choice?.time).toBe('2026-12-01T00:20:07Z');
    expect(choice?.reason).toContain('skipped the newer 2026-12-01T00:21:00Z (interrupted before its manifest was final)');
  });

  it('skips an interrupted full started after the complete chain', () => {
    expect(chooseRestoreSet([FULL, 'duplicity-full.20261202T000000Z.manifest.part'], [])?.time).toBe('2026-12-01T00:19:48Z');
  });

  it('skips a set recorded incomplete, with its reason', () => {
    const choice = chooseRestoreSet([FULL, INC], [{ time: '2026-12-01T00:20:07Z', reason: 'the container vanished' }]);
    expect(choice).toEqual({
      time: '2026-12-01T00:19:48Z',
      reason:
        'using the backup of 2026-12-01T00:19:48Z, the newest complete one; skipped the newer 2026-12-01T00:20:07Z (the container vanished)',
    });
  });

  it.each([
    ['every set complete', [FULL, INC]],
    ['an empty cache', []],
    ['only an interrupted first full (nothing complete to choose)', ['duplicity-full.20261201T001948Z.manifest.part']],
    ['a leftover older than the newest complete set', [FULL, INC, 'duplicity-full.20261130T000000Z.manifest.part']],
    ['guest-like junk names', [FULL, 'duplicity-inc.x.to.y.manifest.part', 'notes.part']],
  ])('leaves the choice to duplicity with %s', (_label, names) => {
    expect(chooseRestoreSet(names, [])).toBeUndefined();
  });
});
