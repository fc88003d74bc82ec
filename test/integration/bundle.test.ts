// The bundle runs with plain node, away from node_modules: what provision installs.
import { execa } from 'execa';
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../support/temp.js';

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir('bundle');
  await execa('node', ['scripts/build.mjs'], { env: { LXC_BACKUP_BUILD_OUT: join(dir, 'lxc-backup.mjs') } });
  await copyFile('templates/policy.yaml', join(dir, 'policy.yaml'));
});
afterAll(async () => removeDir(dir));

describe('dist bundle', () => {
  it('checks the shipped policy with no node_modules in reach', async () => {
    const result = await execa('node', ['lxc-backup.mjs', 'policy', 'check', 'policy.yaml'], { cwd: dir, reject: false, env: { NODE_PATH: '' } });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toBe('policy.yaml: valid');
  });

  it('prints help and fails a bad policy with exit 1', async () => {
    expect((await execa('node', ['lxc-backup.mjs', '--help'], { cwd: dir })).stdout).toContain('restore NAME --to DIR');
    const bad = await execa('node', ['lxc-backup.mjs', 'policy', 'check', '/dev/null'], { cwd: dir, reject: false });
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toMatch(/^\/dev\/null:1:1 expected a mapping with version: 1/m);
  });
});
