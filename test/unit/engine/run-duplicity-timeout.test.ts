// The job timeout reaches the process as a delay Node can time: 25D waits, a short one stops it.
import { describe, expect, it } from 'vitest';
import { runDuplicity } from '../../../agent/engine/run-duplicity.js';
import { durationMs } from '../../../agent/policy/duration.js';

const sleep = (seconds: string) => ({ file: 'sleep', args: [seconds], env: {} });

describe('runDuplicity timeout', () => {
  it('a policy timeout of 25D does not stop the process at once', async () => {
    const run = await runDuplicity(sleep('0.3'), { timeoutMs: durationMs('25D') });
    expect(run.result.timedOut).toBe(false);
    expect(run.ok).toBe(true);
  });

  it('a short timeout stops a long process', async () => {
    const run = await runDuplicity(sleep('30'), { timeoutMs: 100, graceMs: 1000 });
    expect(run.result.timedOut).toBe(true);
    expect(run.ok).toBe(false);
  });
});
