// The time slice yields to the event loop once its budget is spent, and not before.
import { describe, expect, it } from 'vitest';
import { createTimeSlice } from '../../../../agent/engine/drill/time-slice.js';

describe('time slice', () => {
  it('lets queued callbacks run once the budget is spent', async () => {
    let ran = false;
    setImmediate(() => {
      ran = true;
    });
    await createTimeSlice(0).pause();
    expect(ran).toBe(true);
  });

  it('keeps the loop within the budget', async () => {
    let ran = false;
    const immediate = setImmediate(() => {
      ran = true;
    });
    await createTimeSlice(60_000).pause();
    expect(ran).toBe(false);
    clearImmediate(immediate);
  });
});
