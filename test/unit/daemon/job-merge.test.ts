// A request for a container whose job is still queued is merged into that job.
import { describe, expect, it } from 'vitest';
import { mergeRequest, type QueuedJob } from '../../../agent/daemon/job-merge.js';

const job = (action: 'backup' | 'prune', full = false, manual = false): QueuedJob => ({ action, full, manual });

describe('mergeRequest', () => {
  it.each([
    ['a backup covers a queued prune', job('prune'), job('backup'), { ...job('backup'), raisePriority: false }],
    ['a prune leaves a queued backup as it is', job('backup'), job('prune'), { ...job('backup'), raisePriority: false }],
    ['full sticks once asked for', job('backup', true), job('backup'), { ...job('backup', true), raisePriority: false }],
    ['a full request makes it full', job('backup'), job('backup', true), { ...job('backup', true), raisePriority: false }],
    [
      'a manual request raises a scheduled job',
      job('backup'),
      job('backup', false, true),
      { ...job('backup', false, true), raisePriority: true },
    ],
    [
      'an already manual job is not raised again',
      job('backup', false, true),
      job('backup', false, true),
      { ...job('backup', false, true), raisePriority: false },
    ],
  ])('%s', (_, current, request, expected) => {
    expect(mergeRequest(current, request)).toEqual(expected);
  });
});
