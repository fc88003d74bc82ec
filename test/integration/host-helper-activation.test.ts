// Socket activation as systemd does it (systemd-socket-activate passes the listening socket as
// fd 3 with LISTEN_FDS/LISTEN_PID): the helper serves that socket instead of making its own.
import { execa } from 'execa';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHelperSession } from '../../agent/core/helper-session.js';
import { waitFor } from '../support/wait-for.js';
import { BACKUP_CONTAINER, buildHelperBundle, type HelperDirs, makeHelperDirs, removeGuests } from './host-helper-fixture.js';

let dirs: HelperDirs;
let bundle: string;
beforeAll(async () => {
  dirs = await makeHelperDirs('helper-activation');
  bundle = await buildHelperBundle(dirs.work);
});
afterAll(async () => {
  if (dirs) await removeGuests(dirs);
});

describe('host helper socket activation', () => {
  it('answers on the socket it was handed, and makes none of its own', async () => {
    const activated = join(dirs.work, 'activated.sock');
    const own = join(dirs.work, 'own', 'helper.sock');
    const args = [
      '-l',
      activated,
      'node',
      bundle,
      '--socket',
      own,
      '--lxcpath',
      dirs.lxcpath,
      '--backup-container',
      BACKUP_CONTAINER,
      '--state-dir',
      dirs.stateDir,
    ];
    const child = execa('systemd-socket-activate', args, { reject: false });
    try {
      const session = await waitFor(() => openHelperSession(activated, 2000).catch(() => undefined), 20_000, 'the activated socket');
      const hello = await session.request({ verb: 'hello' }, 20_000);
      expect(hello.verbs).toContain('snapshot');
      session.close();
      expect((await execa('test', ['-e', own], { reject: false })).exitCode).toBe(1);
    } finally {
      child.kill('SIGTERM');
      await child;
    }
  });
});
