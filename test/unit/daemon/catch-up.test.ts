// Start-up after downtime: which containers are backed up at once and why, and which become orphans.
import { describe, expect, it } from 'vitest';
import { catchUpReason, catchUps, newOrphans } from '../../../agent/daemon/catch-up.js';
import type { ContainerRecord } from '../../../agent/daemon/state.js';
import { knownWith, policyWith } from './known-fixture.js';

const now = new Date('2030-06-15T12:00:00.000Z');
const immediate = 'new_containers: { first_backup: immediate }';

describe('catchUpReason', () => {
  it.each<[string, string, ContainerRecord, string | undefined]>([
    [
      'an interrupted backup resumes',
      '',
      { last_attempt: '2030-06-15T11:00:00.000Z', interrupted: true },
      'resuming an interrupted backup',
    ],
    ['never attempted, first_backup immediate', immediate, {}, 'first backup'],
    ['never attempted, first_backup next_slot', 'new_containers: { first_backup: next_slot }', {}, undefined],
    ['the agent was down at its slot', '', { last_attempt: '2030-06-13T03:10:00.000Z' }, 'catching up a missed slot'],
    ['attempted since its last slot', '', { last_attempt: '2030-06-15T11:00:00.000Z' }, undefined],
  ])('%s', (_, extra, record, expected) => {
    expect(catchUpReason(knownWith(policyWith(extra), ['web'], { web: record }), 'web', now)).toBe(expected);
  });
});

describe('catchUps', () => {
  it('queues only present containers that are backed up, in discovery order', () => {
    const old = { last_attempt: '2001-01-01T00:00:00.000Z' };
    const known = knownWith(
      policyWith('containers: { off: { enabled: false } }'),
      ['b', 'off', 'backup', { name: 'zfs1', unsupported: 'zfs' }, 'a'],
      { a: old, b: old, off: old, backup: old, zfs1: old, gone: old },
    );
    expect(catchUps(known, now)).toEqual([
      { name: 'b', reason: 'catching up a missed slot' },
      { name: 'a', reason: 'catching up a missed slot' },
    ]);
  });
});

describe('newOrphans', () => {
  it('names remembered containers that are gone and not yet orphaned', () => {
    const known = knownWith(policyWith(), ['web'], { web: {}, gone: {}, old: { orphaned_since: '2030-01-01T00:00:00.000Z' } });
    expect(newOrphans(known)).toEqual(['gone']);
  });
});
