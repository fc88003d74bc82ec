// A container discovery has just seen: its first backup on arrival, and its status row while it settles.
import { describe, expect, it } from 'vitest';
import { backsUpOnArrival, settlingView } from '../../../agent/daemon/settling.js';
import { nextRunAfter } from '../../../agent/schedule/next-run.js';
import { knownWith, policyWith } from './known-fixture.js';

const immediate = 'new_containers: { first_backup: immediate }';
const dueAt = new Date('2030-06-15T12:00:00.000Z');

describe('backsUpOnArrival', () => {
  it.each([
    ['first_backup immediate, backed up', immediate, 'web', true],
    ['first_backup next_slot waits for its slot', 'new_containers: { first_backup: next_slot }', 'web', false],
    ['a disabled container never', `${immediate}\ncontainers: { web: { enabled: false } }`, 'web', false],
    ['the backup container itself never', immediate, 'backup', false],
    ['an unsupported container never', immediate, 'zfs1', false],
  ])('%s', (_, extra, name, expected) => {
    const known = knownWith(policyWith(extra), ['web', 'backup', { name: 'zfs1', unsupported: 'zfs' }]);
    expect(backsUpOnArrival(known, name)).toBe(expected);
  });
});

describe('settlingView', () => {
  it('immediate: its first run is when it has settled', () => {
    expect(settlingView(knownWith(policyWith(immediate), []), 'new', dueAt)).toEqual({
      name: 'new',
      record: {},
      disabled: false,
      running: false,
      settling: true,
      nextRun: dueAt,
    });
  });

  it('next_slot: its first run is the first slot after it has settled', () => {
    const view = settlingView(knownWith(policyWith('new_containers: { first_backup: next_slot }'), []), 'new', dueAt);
    expect(view?.nextRun).toEqual(nextRunAfter('0 3 * * *', 'new', dueAt));
  });

  it('a disabled one is listed as disabled, with no run and not settling', () => {
    const view = settlingView(knownWith(policyWith('containers: { new: { enabled: false } }'), []), 'new', dueAt);
    expect(view).toEqual({ name: 'new', record: {}, disabled: true, running: false, settling: false });
  });

  it.each([
    ['an ignored one', 'ignore: ["new"]', [], {}],
    ['one already taken on', '', ['new'], {}],
    ['one remembered in state', '', [], { new: {} }],
  ])('%s is not listed', (_, extra, present, records) => {
    expect(settlingView(knownWith(policyWith(extra), present, records), 'new', dueAt)).toBeUndefined();
  });
});
