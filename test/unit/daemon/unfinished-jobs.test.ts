// Start-up's view of jobs that never ended: a backup marks its container interrupted (which
// start-up re-queues as resuming), every job gets a line, and nothing else in state changes.
import { describe, expect, it } from 'vitest';
import { markUnfinishedJobs } from '../../../agent/daemon/unfinished-jobs.js';
import type { AgentState } from '../../../agent/daemon/state.js';

describe('markUnfinishedJobs', () => {
  it('marks unfinished backups interrupted, including a container with no record yet', () => {
    const state: AgentState = { version: 1, containers: { web: { last_success: '2026-11-30T03:00:00Z' } } };
    const lines = markUnfinishedJobs(state, [
      { name: 'web', action: 'backup', started: '2026-12-01T03:00:00Z' },
      { name: 'new', action: 'backup', started: '2026-12-01T03:01:00Z' },
    ]);
    expect(state.containers).toEqual({ web: { last_success: '2026-11-30T03:00:00Z', interrupted: true }, new: { interrupted: true } });
    expect(lines.map((line) => line.container)).toEqual(['web', 'new']);
    expect(lines[0]!.message).toBe(
      'web: its backup started at 2026-12-01T03:00:00Z and never finished (the agent or duplicity was killed)',
    );
  });

  it('logs an unfinished prune without marking a backup to resume', () => {
    const state: AgentState = { version: 1, containers: {} };
    expect(markUnfinishedJobs(state, [{ name: 'web', action: 'prune', started: '2026-12-01T03:00:00Z' }])).toHaveLength(1);
    expect(state.containers).toEqual({});
  });
});
