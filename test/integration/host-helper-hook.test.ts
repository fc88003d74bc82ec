// Guest hooks run inside the guest, as its root, with the exit code and the escaped tail of
// their output in the reply; no hook is ran=false; a hook past its time limit is killed.
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HelperError, type HelperSession, openHelperSession } from '../../agent/core/helper-session.js';
import type { FixtureProcess } from '../support/fixture-process.js';
import {
  buildHelperBundle,
  createGuest,
  guestName,
  type HelperDirs,
  makeHelperDirs,
  removeGuests,
  startHelper,
} from './host-helper-fixture.js';

let dirs: HelperDirs;
let helper: FixtureProcess;
let session: HelperSession;
const withHooks = guestName('hooks');
const without = guestName('nohook');

// Writes the guest's own hook, as its root would.
async function writeHook(rootfs: string, phase: 'pre' | 'post', script: string): Promise<void> {
  await mkdir(join(rootfs, 'etc', 'lxc-backup'), { recursive: true });
  const file = join(rootfs, 'etc', 'lxc-backup', `${phase}-backup`);
  await writeFile(file, script);
  await chmod(file, 0o755);
}

beforeAll(async () => {
  dirs = await makeHelperDirs('helper-hook');
  const bundle = await buildHelperBundle(dirs.work);
  const rootfs = await createGuest(dirs, withHooks);
  await createGuest(dirs, without);
  // pre: proves it runs inside the guest (its hostname, a file only the guest sees), prints
  // 10000 lines and an escape sequence; post: fails with code 3.
  await writeHook(
    rootfs,
    'pre',
    '#!/bin/sh\necho first\ni=0; while [ $i -lt 10000 ]; do echo "line $i"; i=$((i+1)); done\necho "in $(hostname)" > /root/dump.sql\nprintf "\\033[31mend\\n"\n',
  );
  await writeHook(rootfs, 'post', '#!/bin/sh\necho "cannot reach the database" >&2\nexit 3\n');
  helper = await startHelper(bundle, dirs, ['--hook-max', '3']);
  session = await openHelperSession(dirs.socket, 5000);
});
afterAll(async () => {
  session?.close();
  await helper?.stop();
  if (dirs) await removeGuests(dirs);
});

describe('host helper hooks', () => {
  it('runs the pre-backup hook inside the guest, with exit code and the escaped tail of its output', async () => {
    const reply = await session.request({ verb: 'hook', name: withHooks, phase: 'pre', timeout_s: 60 }, 60_000);
    expect(reply.ran).toBe(true);
    expect(reply.exit_code).toBe(0);
    expect(reply.output).toMatch(/^….*line 9999\n\\x1b\[31mend\n$/s);
    expect(reply.output).not.toContain('first');
    expect(await readFile(join(dirs.lxcpath, withHooks, 'rootfs', 'root', 'dump.sql'), 'utf8')).toBe(`in ${withHooks}\n`);
    expect(reply.output.length).toBeLessThan(4096 + 200);
  });

  it('reports a failing hook’s exit code and output', async () => {
    const reply = await session.request({ verb: 'hook', name: withHooks, phase: 'post', timeout_s: 60 }, 60_000);
    expect(reply).toMatchObject({ ran: true, exit_code: 3, output: 'cannot reach the database\n' });
  });

  it('says ran=false when the guest has no hook', async () => {
    const reply = await session.request({ verb: 'hook', name: without, phase: 'pre', timeout_s: 60 }, 60_000);
    expect(reply).toMatchObject({ ran: false, output: '' });
  });

  it('kills a hook at the helper’s own limit, whatever timeout_s asked', async () => {
    await writeHook(join(dirs.lxcpath, without, 'rootfs'), 'pre', '#!/bin/sh\necho started\nsleep 60\n');
    const started = Date.now();
    const error = await session
      .request({ verb: 'hook', name: without, phase: 'pre', timeout_s: 600 }, 60_000)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HelperError);
    expect((error as HelperError).code).toBe('timeout');
    expect((error as HelperError).message).toMatch(/killed: it ran past its 3000 ms limit; its output ended with: started/);
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
