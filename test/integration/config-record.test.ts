import { chmod, mkdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configRecordPath } from '../../agent/engine/config-record.js';
import { runLxcBackup } from '../support/cli.js';
import { makeTempDir, removeDir } from '../support/temp.js';

let work: string;
beforeEach(async () => {
  work = await makeTempDir('config-record');
});
afterEach(async () => removeDir(work));

describe('recorded at backup time (real duplicity)', () => {
  async function setup(): Promise<{ policy: string; state: string; config: string }> {
    const dir = join(work, 'host', 'web');
    await mkdir(join(dir, 'rootfs', 'etc'), { recursive: true });
    await writeFile(join(dir, 'rootfs', 'etc', 'hostname'), 'web\n');
    const config = join(dir, 'config');
    await writeFile(
      config,
      'lxc.include = /usr/share/lxc/config/common.conf\nlxc.uts.name = web\nlxc.mount.entry = /srv/data srv none bind 0 0\nlxc.hook.pre-start = /usr/local/bin/check\n',
    );
    const secrets = join(work, 'secrets.env');
    await writeFile(secrets, 'PASSPHRASE=config-record-Passphrase-1\n');
    await chmod(secrets, 0o600);
    const state = join(work, 'state');
    const policy = join(work, 'policy.yaml');
    await writeFile(
      policy,
      [
        'version: 1',
        `host_root: ${join(work, 'host')}`,
        `state_dir: ${state}`,
        `secrets_file: ${secrets}`,
        'defaults:',
        `  target: "file://${join(work, 'target')}/{name}"`,
        '',
      ].join('\n'),
    );
    return { policy, state, config };
  }

  it('keeps the power lines after a backup, 0600, and prints them; no record before', async () => {
    const { policy, state } = await setup();
    const none = await runLxcBackup(['config-record', 'web', '--policy', policy]);
    expect(none.code).toBe(1);
    expect(none.err).toContain('web: no config record');
    const backup = await runLxcBackup(['backup', 'web', '--direct', '--policy', policy]);
    expect(backup.code, backup.err).toBe(0);
    const shown = await runLxcBackup(['config-record', 'web', '--policy', policy]);
    expect(shown).toMatchObject({
      code: 0,
      out: 'lxc.mount.entry = /srv/data srv none bind 0 0\nlxc.hook.pre-start = /usr/local/bin/check\n',
    });
    expect((await stat(configRecordPath(state, 'web'))).mode & 0o777).toBe(0o600);
    const json = JSON.parse((await runLxcBackup(['config-record', 'web', '--json', '--policy', policy])).out) as {
      config_sha256: string;
      lines: string[];
    };
    expect(json.config_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(json.lines).toHaveLength(2);
  }, 120_000);

  it('keeps the previous record when the config became a symlink, and refuses odd names', async () => {
    const { policy, state, config } = await setup();
    expect((await runLxcBackup(['backup', 'web', '--direct', '--policy', policy])).code).toBe(0);
    const before = await readFile(configRecordPath(state, 'web'), 'utf8');
    await writeFile(join(work, 'host-secret'), 'lxc.hook.pre-start = /bin/sh -c "evil"\n', { mode: 0o600 });
    await rm(config);
    await symlink(join(work, 'host-secret'), config);
    // A symlinked config makes the container unsupported: no backup, and the record stays.
    const backup = await runLxcBackup(['backup', 'web', '--direct', '--full', '--policy', policy]);
    expect(backup.code).toBe(1);
    expect(backup.err).toContain('config is a symlink: expected a regular file');
    expect(await readFile(configRecordPath(state, 'web'), 'utf8')).toBe(before);
    expect((await runLxcBackup(['config-record', '../web', '--policy', policy])).code).toBe(2);
  }, 120_000);
});
