// The consistency mode decision table: requested mode × helper answer × container state ×
// backing store × an earlier freeze that hit max_freeze.
import { describe, expect, it } from 'vitest';
import { decideMode, type ModeInput } from '../../../../agent/engine/consistency/decide.js';

type Helper = ModeInput['helper'];
const none: Helper = { available: false, reason: 'host helper not available at /s: ENOENT' };
const running = (backing: 'dir' | 'btrfs' | 'zfs' | 'lvm' | 'other', snapshot: boolean, state = 'RUNNING'): Helper => ({
  available: true,
  state,
  backing,
  snapshot,
  ...(snapshot ? {} : { snapshotReason: `${backing}: no snapshots` }),
});
const limit = { at: '2026-12-01T00:00:00.000Z', maxFreeze: '30s' };

describe('decideMode', () => {
  it.each<[string, ModeInput, string, RegExp | undefined]>([
    ['live, no helper: live without a reason', { requested: 'live', helper: none }, 'live', undefined],
    ['auto, no helper: live, the helper is the reason', { requested: 'auto', helper: none }, 'live', /host helper not available at \/s/],
    ['freeze, no helper', { requested: 'freeze', helper: none }, 'live', /not available/],
    ['snapshot, no helper', { requested: 'snapshot', helper: none }, 'live', /not available/],
    ['auto, stopped', { requested: 'auto', helper: running('dir', false, 'STOPPED') }, 'stopped', undefined],
    ['live, stopped', { requested: 'live', helper: running('btrfs', true, 'STOPPED') }, 'stopped', undefined],
    ['freeze, stopped: no freeze', { requested: 'freeze', helper: running('dir', false, 'STOPPED') }, 'stopped', undefined],
    ['live, running', { requested: 'live', helper: running('btrfs', true) }, 'live', undefined],
    ['auto, btrfs: snapshot', { requested: 'auto', helper: running('btrfs', true) }, 'snapshot', undefined],
    ['snapshot, zfs: snapshot', { requested: 'snapshot', helper: running('zfs', true) }, 'snapshot', undefined],
    [
      'auto, dir: freeze, says why no snapshot',
      { requested: 'auto', helper: running('dir', false) },
      'freeze',
      /no snapshot: dir: no snapshots/,
    ],
    ['snapshot, dir: falls back to freeze', { requested: 'snapshot', helper: running('dir', false) }, 'freeze', /no snapshot/],
    ['freeze, btrfs: freeze as asked', { requested: 'freeze', helper: running('btrfs', true) }, 'freeze', undefined],
    ['auto, lvm without snapshot: live', { requested: 'auto', helper: running('lvm', false) }, 'live', /lvm rootfs is not readable/],
    ['auto, other: live', { requested: 'auto', helper: running('other', false) }, 'live', /other rootfs/],
    [
      'freeze, admin-frozen: live, never thawed',
      { requested: 'freeze', helper: running('dir', false, 'FROZEN') },
      'live',
      /already FROZEN/,
    ],
    ['auto, starting', { requested: 'auto', helper: running('dir', false, 'STARTING') }, 'live', /is STARTING/],
    [
      'freeze after a limit hit: live at once',
      { requested: 'freeze', helper: running('dir', false), freezeLimitHit: limit },
      'live',
      /hit max_freeze 30s/,
    ],
    [
      'auto, btrfs after a limit hit: snapshot still',
      { requested: 'auto', helper: running('btrfs', true), freezeLimitHit: limit },
      'snapshot',
      undefined,
    ],
  ])('%s', (_name, input, mode, reason) => {
    const decision = decideMode(input);
    expect(decision.mode).toBe(mode);
    if (reason) expect(decision.reason).toMatch(reason);
    else expect(decision.reason).toBeUndefined();
  });
});
