// scripts/restore finds the backup container by itself: the container whose config carries
// provision's block (lxc/common.sh find_backup_containers), on a fake lxcpath.
import { execa } from 'execa';
import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../support/temp.js';
import { REPO } from './agent-helpers.js';

const BLOCK = '# BEGIN lxc-backup (managed by scripts/provision; edits between these lines are replaced)';
let work: string;

beforeEach(async () => {
  work = await makeTempDir('find-backup-ct');
  // lxc-config on PATH answers lxc.lxcpath with our fake store.
  await mkdir(join(work, 'bin'));
  await writeFile(join(work, 'bin', 'lxc-config'), `#!/bin/sh\necho ${join(work, 'lxc')}\n`);
  await chmod(join(work, 'bin', 'lxc-config'), 0o755);
});
afterEach(async () => {
  await removeDir(work);
});

async function container(name: string, config: string): Promise<void> {
  await mkdir(join(work, 'lxc', name), { recursive: true });
  await writeFile(join(work, 'lxc', name, 'config'), config);
}

async function found(): Promise<string[]> {
  const script = `source ${join(REPO, 'lxc/common.sh')}; find_backup_containers`;
  const { stdout } = await execa('bash', ['-c', script], { env: { PATH: `${join(work, 'bin')}:${process.env.PATH ?? ''}` } });
  return stdout.split('\n').filter(Boolean);
}

describe('find_backup_containers', () => {
  it('finds the one container with the block, whatever its name', async () => {
    await container('web', 'lxc.uts.name = web\n');
    await container('my-backups', `lxc.uts.name = my-backups\n${BLOCK}\nlxc.start.auto = 1\n# END lxc-backup\n`);
    expect(await found()).toEqual(['my-backups']);
  });

  it.each([
    ['the marker inside another line', `lxc.uts.name = x # ${BLOCK}\n`],
    ['a symlinked config', null],
    ['no config block at all', 'lxc.uts.name = x\n'],
  ])('does not count %s', async (_, config) => {
    if (config === null) {
      await writeFile(join(work, 'elsewhere'), `${BLOCK}\n`);
      await mkdir(join(work, 'lxc', 'linked'), { recursive: true });
      await symlink(join(work, 'elsewhere'), join(work, 'lxc', 'linked', 'config'));
    } else await container('other', config);
    expect(await found()).toEqual([]);
  });

  it('lists every one when there are several', async () => {
    for (const name of ['b1', 'b2']) await container(name, `${BLOCK}\n# END lxc-backup\n`);
    expect(await found()).toEqual(['b1', 'b2']);
  });
});
