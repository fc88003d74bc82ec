// The capture's two walks: side by side without a decision; with one, find first and getfattr
// only when the capture goes on.
import { describe, expect, it } from 'vitest';
import { runWalks } from '../../../../agent/engine/fidelity/run-walks.js';

describe('runWalks', () => {
  it('runs both side by side and waits for both before throwing', async () => {
    const events: string[] = [];
    const slow = new Promise<string>((resolve) => setTimeout(() => resolve('x'), 20)).then((v) => {
      events.push('xattrs');
      return v;
    });
    await expect(
      runWalks(
        () => slow,
        () => Promise.reject(new Error('find failed')),
      ),
    ).rejects.toThrow('find failed');
    expect(events).toEqual(['xattrs']);
  });

  it('with a decision: the walk, then the decision, then getfattr only when it says go on', async () => {
    const events: string[] = [];
    const xattrs = async (): Promise<string> => {
      events.push('xattrs');
      return 'x';
    };
    const walk = async (): Promise<string> => {
      events.push('walk');
      return 'w';
    };
    const stop = async (): Promise<boolean> => {
      events.push('stop?');
      return false;
    };
    expect(await runWalks(xattrs, walk, stop)).toBeUndefined();
    expect(events).toEqual(['walk', 'stop?']);
    expect(await runWalks(xattrs, walk, async () => true)).toEqual(['x', 'w']);
  });
});
