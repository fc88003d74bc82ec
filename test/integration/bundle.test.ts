// The bundle runs with plain node, away from node_modules: what provision installs.
import { execa } from 'execa';
import { copyFile, writeFile } from 'node:fs/promises';
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
    const result = await execa('node', ['lxc-backup.mjs', 'policy', 'check', 'policy.yaml'], {
      cwd: dir,
      reject: false,
      env: { NODE_PATH: '' },
    });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toBe('policy.yaml: valid');
  });

  it('prints help and fails a bad policy with exit 1', async () => {
    expect((await execa('node', ['lxc-backup.mjs', '--help'], { cwd: dir })).stdout).toContain('restore NAME --to DIR');
    const bad = await execa('node', ['lxc-backup.mjs', 'policy', 'check', '/dev/null'], { cwd: dir, reject: false });
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toMatch(/^\/dev\/null:1:1 expected a mapping with version: 1/m);
  });

  it("is what the CLI wrapper runs, with the agent's V8 flags for the agent only", async () => {
    const wrapper = join(process.cwd(), 'templates', 'lxc-backup.sh');
    const bundle = { LXC_BACKUP_BUNDLE: join(dir, 'lxc-backup.mjs') };
    expect((await execa(wrapper, ['--help'], { env: bundle })).stdout).toContain('restore NAME --to DIR');
    // A stand-in bundle that reports how node was started.
    const probe = join(dir, 'probe.mjs');
    await writeFile(
      probe,
      'console.log(JSON.stringify({ flags: process.execArgv, args: process.argv.slice(2), gc: typeof globalThis.gc }));\n',
    );
    const run = async (...args: string[]) =>
      JSON.parse((await execa(wrapper, args, { env: { LXC_BACKUP_BUNDLE: probe } })).stdout) as unknown;
    expect(await run('agent', '--policy', 'a b.yaml')).toEqual({
      flags: ['--max-semi-space-size=1', '--optimize-for-size', '--expose-gc'],
      args: ['agent', '--policy', 'a b.yaml'],
      gc: 'function',
    });
    expect(await run('status', '--json')).toEqual({ flags: [], args: ['status', '--json'], gc: 'undefined' });
  });
});
