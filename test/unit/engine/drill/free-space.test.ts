import { describe, expect, it } from 'vitest';
import { formatBytes, spaceNeeded, spaceRefusal } from '../../../../agent/engine/drill/free-space.js';

const MiB = 1024 * 1024;

describe('drill free-space decision', () => {
  it('needs the recorded bytes with a margin and a fixed overhead', () => {
    expect(spaceNeeded(0)).toBe(16 * MiB);
    expect(spaceNeeded(100 * MiB)).toBe(141 * MiB);
  });

  it('lets a drill start when the free space covers it', () => {
    expect(spaceRefusal('/s/drill', 141 * MiB, 100 * MiB)).toBeUndefined();
  });

  it('refuses one byte short, naming where, what it needs and what is free', () => {
    expect(spaceRefusal('/s/drill', 141 * MiB - 1, 100 * MiB)).toBe(
      'not enough space for a restore drill in /s/drill: need 141.0 MiB (100.0 MiB of files recorded by the last backup × 1.25 + 16.0 MiB), 141.0 MiB free',
    );
  });

  it('formats sizes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(3 * 1024 * MiB)).toBe('3.0 GiB');
  });
});
