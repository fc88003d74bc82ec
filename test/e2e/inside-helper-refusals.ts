// The host helper's refusals as the backup container meets them (issue 16's acceptance: "from
// inside the backup container, the helper refuses ..."), one test per refusal, plus a hello and
// a freeze/thaw round trip to show the refusals do not come from a dead socket. Runs inside an
// e2e file's describe, reusing its provisioned backup container (no second provision).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HELPER_SOCKET_IN_CONTAINER } from '../../agent/core/helper-protocol.js';
import type { FixtureProcess } from '../support/fixture-process.js';
import { waitFor } from '../support/wait-for.js';
import { freezerState, type InsideSession, openInsideSession, startHostHelper } from './inside-helper.js';
import { attach, createBusybox, mustRun } from './lxc.js';

// What the enclosing e2e file provides: its backup container, its prefix, and (once its
// beforeAll ran) its work dir, where provision wrote the helper's config.
export interface InsideHelperWorld {
  agentCt: string;
  prefix: string;
  work(): string;
  host(): string;
}

// One session from inside, closed whatever the test does.
async function inSession<T>(agentCt: string, use: (session: InsideSession) => Promise<T>): Promise<T> {
  const session = openInsideSession(agentCt);
  try {
    return await use(session);
  } finally {
    await session.close();
  }
}

// Expects a refusal whose message matches `pattern`.
function expectRefused(reply: Record<string, unknown>, pattern: RegExp): void {
  expect(reply).toMatchObject({ ok: false, code: 'refused' });
  expect(String(reply.error)).toMatch(pattern);
}

// Registers the tests; call inside the e2e file's describe.
export function describeInsideHelperRefusals(world: InsideHelperWorld): void {
  const guest = `${world.prefix}-frz`;
  let helper: FixtureProcess | undefined;

  describe('the host helper, asked from inside the backup container', () => {
    beforeAll(async () => {
      const configFile = join(world.work(), 'helper.json');
      const config = JSON.parse(await readFile(configFile, 'utf8')) as Record<string, unknown>;
      expect(config).toMatchObject({ lxcpath: world.host(), backup_container: world.agentCt });
      helper = await startHostHelper(configFile, join(world.work(), 'helper-state'));
      await createBusybox(guest, world.work());
      await mustRun('lxc-start', ['-n', guest]);
      await mustRun('lxc-wait', ['-n', guest, '-s', 'RUNNING', '-t', '60']);
    }, 180_000);

    afterAll(async () => {
      await helper?.stop();
    }, 60_000);

    it('answers hello over the socket bound at /mnt/lxc-backup-helper', async () => {
      const seen = await attach(world.agentCt, ['test', '-S', HELPER_SOCKET_IN_CONTAINER]);
      expect(seen.exitCode, `${HELPER_SOCKET_IN_CONTAINER} is not a socket inside ${world.agentCt}`).toBe(0);
      const hello = await inSession(world.agentCt, (s) => s.request({ verb: 'hello' }));
      expect(hello).toMatchObject({ ok: true, version: 1 });
      expect(hello.verbs).toEqual(expect.arrayContaining(['freeze', 'thaw', 'snapshot', 'hook']));
    });

    it('freezes and thaws a running guest (the socket acts)', async () => {
      await inSession(world.agentCt, async (s) => {
        expect(await s.request({ verb: 'freeze', name: guest, max_s: 30 })).toMatchObject({ ok: true });
        expect(await freezerState(guest)).toBe('FROZEN');
        const thawed = await s.request({ verb: 'thaw', name: guest });
        expect(thawed).toMatchObject({ ok: true, limit_hit: false });
        expect(await freezerState(guest)).toBe('THAWED');
      });
    });

    it('refuses an unknown name', async () => {
      const reply = await inSession(world.agentCt, (s) => s.request({ verb: 'freeze', name: `${world.prefix}-nosuch`, max_s: 5 }));
      expectRefused(reply, /not a container of this host/);
    });

    it('refuses the backup container itself', async () => {
      await inSession(world.agentCt, async (s) => {
        expectRefused(await s.request({ verb: 'freeze', name: world.agentCt, max_s: 5 }), /is the backup container/);
        expectRefused(await s.request({ verb: 'state', name: world.agentCt }), /is the backup container/);
      });
      expect(await freezerState(world.agentCt)).toBe('THAWED');
    });

    it('refuses a name with path characters', async () => {
      await inSession(world.agentCt, async (s) => {
        for (const name of ['../x', 'a/b', `../${world.prefix}-frz`, `${world.host()}/${guest}`]) {
          expectRefused(await s.request({ verb: 'freeze', name, max_s: 5 }), /field name/);
        }
      });
      expect(await freezerState(guest)).toBe('THAWED');
    });

    it('refuses a second freeze of a frozen guest, and thaws it when the session ends', async () => {
      await inSession(world.agentCt, async (s) => {
        expect(await s.request({ verb: 'freeze', name: guest, max_s: 30 })).toMatchObject({ ok: true });
        expectRefused(await s.request({ verb: 'freeze', name: guest, max_s: 30 }), /already frozen by this session/);
        expect(await freezerState(guest)).toBe('FROZEN');
      });
      // The session is closed: the helper thaws what it held (no explicit thaw was sent).
      await waitFor(async () => (await freezerState(guest)) === 'THAWED', 15_000, `${guest} thawed after the session closed`);
    });

    it('refuses a verb outside the list', async () => {
      const reply = await inSession(world.agentCt, (s) => s.request({ id: 7, verb: 'exec', name: guest, argv: ['sh'] }));
      expect(reply).toMatchObject({ id: 7 });
      expectRefused(reply, /verb "exec" is not one the helper answers/);
    });
  });
}
