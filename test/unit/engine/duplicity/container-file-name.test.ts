// Per-container file names stay within one file name's 255 bytes, and the hashed form can
// never be another container's plain name.
import { describe, expect, it } from 'vitest';
import { containerFileName } from '../../../../agent/engine/duplicity/container-file-name.js';
import { containerLayout } from '../../../../agent/engine/duplicity/layout.js';

const policy = { host_root: '/mnt/lxc', state_dir: '/var/lib/lxc-backup' };

describe('containerFileName', () => {
  it.each([
    ['a short name', 'web', '.lock', 'web.lock'],
    ['exactly 255 bytes', 'a'.repeat(250), '.lock', `${'a'.repeat(250)}.lock`],
  ])('keeps NAME + suffix when it fits (%s)', (_what, name, suffix, expected) => {
    expect(containerFileName(name, suffix)).toBe(expected);
  });

  it.each([
    ['ASCII, 251 bytes', 'a'.repeat(251), '.lock'],
    ['ASCII, 250 bytes with a longer suffix', 'b'.repeat(250), '.exclude'],
    ['multibyte, 100 characters but 300 bytes', 'é'.repeat(100) + 'x'.repeat(100), '.lock'],
  ])('hashes a name too long for the limit (%s)', (_what, name, suffix) => {
    const file = containerFileName(name, suffix);
    expect(file).toMatch(new RegExp(`^hashed/[0-9a-f]{64}\\${suffix}$`));
    expect(Buffer.byteLength(file.split('/')[1] ?? '')).toBeLessThanOrEqual(255);
    // Stable, and different names give different files.
    expect(containerFileName(name, suffix)).toBe(file);
    expect(containerFileName(`${name}z`, suffix)).not.toBe(file);
  });

  it('hashes the per-container files of long names in the layout, each only when it would not fit', () => {
    const at250 = containerLayout(policy, 'n'.repeat(250));
    expect(at250.lockFile).toBe(`/var/lib/lxc-backup/locks/${'n'.repeat(250)}.lock`);
    expect(at250.excludeFile).toMatch(/^\/var\/lib\/lxc-backup\/run\/hashed\/[0-9a-f]{64}\.exclude$/);
    expect(containerLayout(policy, 'n'.repeat(251)).lockFile).toMatch(/^\/var\/lib\/lxc-backup\/locks\/hashed\/[0-9a-f]{64}\.lock$/);
    expect(containerLayout(policy, 'web').lockFile).toBe('/var/lib/lxc-backup/locks/web.lock');
  });
});
