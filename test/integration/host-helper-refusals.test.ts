// The host helper refuses, one test per refusal: an unknown name, the backup container itself,
// a name with path characters, a second freeze of a frozen guest, a verb outside the list.
import { execa } from 'execa';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HelperError, type HelperSession, openHelperSession } from '../../agent/core/helper-session.js';
import type { FixtureProcess } from '../support/fixture-process.js';
import {
  BACKUP_CONTAINER,
  buildHelperBundle,
  createGuest,
  guestName,
  guestState,
  type HelperDirs,
  makeHelperDirs,
  removeGuests,
  startHelper,
} from './host-helper-fixture.js';

let dirs: HelperDirs;
let helper: FixtureProcess;
let session: HelperSession;
const guest = guestName('refuse');

beforeAll(async () => {
  dirs = await makeHelperDirs('helper-refusals');
  const bundle = await buildHelperBundle(dirs.work);
  await createGuest(dirs, guest);
  await createGuest(dirs, BACKUP_CONTAINER, { start: false });
  helper = await startHelper(bundle, dirs);
  session = await openHelperSession(dirs.socket, 5000);
});
afterAll(async () => {
  session?.close();
  await helper?.stop();
  if (dirs) await removeGuests(dirs);
});

// The HelperError a request ends with.
async function refusal(promise: Promise<unknown>): Promise<HelperError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof HelperError)) throw new Error(`expected a HelperError, got ${String(error)}`);
  return error;
}

describe('host helper refusals', () => {
  it('answers hello and the state of a real guest', async () => {
    const hello = await session.request({ verb: 'hello' }, 5000);
    expect(hello.verbs).toContain('freeze');
    const state = await session.request({ verb: 'state', name: guest }, 10_000);
    expect(state).toMatchObject({ state: 'RUNNING', backing: 'dir', snapshot: false });
    expect(state.snapshot_reason).toMatch(/plain directory/);
  });

  it('refuses an unknown name', async () => {
    const error = await refusal(session.request({ verb: 'freeze', name: 'helper-no-such-guest', max_s: 5 }, 5000));
    expect(error.code).toBe('refused');
    expect(error.message).toMatch(/not a container of this host/);
  });

  it('refuses the backup container itself', async () => {
    const error = await refusal(session.request({ verb: 'state', name: BACKUP_CONTAINER }, 5000));
    expect(error.code).toBe('refused');
    expect(error.message).toMatch(/is the backup container/);
  });

  it('refuses a name with path characters', async () => {
    // Past the client's own types: what a compromised backup container could send.
    const error = await refusal(session.request({ verb: 'freeze', name: `../${guest}`, max_s: 5 }, 5000));
    expect(error.code).toBe('refused');
    expect(error.message).toMatch(/field name/);
    expect(await guestState(dirs, guest)).toBe('RUNNING');
  });

  it('refuses a second freeze of a frozen guest, and never thaws what the admin froze', async () => {
    await session.request({ verb: 'freeze', name: guest, max_s: 30 }, 10_000);
    const again = await refusal(session.request({ verb: 'freeze', name: guest, max_s: 30 }, 10_000));
    expect(again.message).toMatch(/already frozen by this session/);
    await session.request({ verb: 'thaw', name: guest }, 10_000);

    await execa('lxc-freeze', ['-P', dirs.lxcpath, '-n', guest]);
    const other = await openHelperSession(dirs.socket, 5000);
    const adminFrozen = await refusal(other.request({ verb: 'freeze', name: guest, max_s: 30 }, 10_000));
    expect(adminFrozen.code).toBe('refused');
    expect(adminFrozen.message).toMatch(/FROZEN already/);
    other.close();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await guestState(dirs, guest)).toBe('FROZEN');
    await execa('lxc-unfreeze', ['-P', dirs.lxcpath, '-n', guest]);
  });

  it('refuses a verb outside the list', async () => {
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(dirs.socket);
      socket.setEncoding('utf8');
      socket.once('error', reject);
      socket.on('data', (data: string) => {
        resolve(data);
        socket.end();
      });
      socket.write(`${JSON.stringify({ id: 7, verb: 'exec', name: guest, argv: ['sh'] })}\n`);
    });
    expect(JSON.parse(reply)).toMatchObject({ id: 7, ok: false, code: 'refused' });
    expect(reply).toMatch(/verb \\"exec\\" is not one the helper answers/);
  });
});
