// Freezes end by themselves: at max_s, and when the client that asked dies (SIGKILL), the
// guest runs again within the time limit.
import { execa } from 'execa';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHelperSession } from '../../agent/core/helper-session.js';
import type { FixtureProcess } from '../support/fixture-process.js';
import { waitFor } from '../support/wait-for.js';
import {
  buildHelperBundle,
  createGuest,
  guestName,
  guestState,
  type HelperDirs,
  helperLog,
  makeHelperDirs,
  removeGuests,
  startHelper,
} from './host-helper-fixture.js';

let dirs: HelperDirs;
let helper: FixtureProcess;
const guest = guestName('freeze');

beforeAll(async () => {
  dirs = await makeHelperDirs('helper-freeze');
  const bundle = await buildHelperBundle(dirs.work);
  await createGuest(dirs, guest);
  helper = await startHelper(bundle, dirs, ['--max-freeze', '20']);
});
afterAll(async () => {
  await helper?.stop();
  if (dirs) await removeGuests(dirs);
});

// A client that freezes `name` for max_s, prints FROZEN, then waits to be killed.
const CLIENT = `
import { connect } from 'node:net';
const [socketPath, name] = process.argv.slice(2);
const socket = connect(socketPath);
socket.setEncoding('utf8');
socket.on('connect', () => socket.write(JSON.stringify({ id: 1, verb: 'freeze', name, max_s: 600 }) + '\\n'));
socket.on('data', (line) => process.stdout.write(line.includes('"ok":true') ? 'FROZEN\\n' : line));
setInterval(() => {}, 1000);
`;

describe('host helper freeze limits', () => {
  it('thaws at max_s by itself, and thaw then reports limit_hit', async () => {
    const session = await openHelperSession(dirs.socket, 5000);
    await session.request({ verb: 'freeze', name: guest, max_s: 1 }, 10_000);
    expect(await guestState(dirs, guest)).toBe('FROZEN');
    await waitFor(async () => (await guestState(dirs, guest)) === 'RUNNING', 10_000, 'the guest thawed at max_s');
    const thaw = await session.request({ verb: 'thaw', name: guest }, 10_000);
    expect(thaw.limit_hit).toBe(true);
    expect(thaw.paused_ms).toBeGreaterThanOrEqual(1000);
    session.close();
  });

  it('caps max_s at the helper’s max_freeze', async () => {
    const session = await openHelperSession(dirs.socket, 5000);
    await session.request({ verb: 'freeze', name: guest, max_s: 3600 }, 10_000);
    const line = helperLog(helper).findLast((entry) => entry.verb === 'freeze' && entry.container === guest);
    expect(line?.limit_ms).toBe(20_000);
    await session.request({ verb: 'thaw', name: guest }, 10_000);
    session.close();
  });

  it('thaws when the client that froze the guest is SIGKILLed', async () => {
    const client = join(dirs.work, 'client.mjs');
    await writeFile(client, CLIENT);
    const child = execa('node', [client, dirs.socket, guest], { reject: false, buffer: false });
    await new Promise<void>((resolve) => child.stdout?.on('data', (data: Buffer) => String(data).includes('FROZEN') && resolve()));
    expect(await guestState(dirs, guest)).toBe('FROZEN');
    const killedAt = Date.now();
    child.kill('SIGKILL');
    await child;
    await waitFor(async () => (await guestState(dirs, guest)) === 'RUNNING', 5000, 'the guest thawed after its client died', {
      intervalMs: 20,
    });
    const thawedMs = Date.now() - killedAt;
    console.log(`guest RUNNING again ${thawedMs} ms after its client was SIGKILLed`);
    expect(thawedMs).toBeLessThan(5000);
    await waitFor(
      () => helperLog(helper).some((entry) => entry.verb === 'thaw-on-close' && entry.container === guest),
      5000,
      'the thaw in the log',
    );
  });
});
