// Delivery against a real HTTP receiver on 127.0.0.1: order per container, timeout and
// retries, secrets expanded only in the URL that is sent, and kept out of bodies and logs.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Log } from '../../../agent/core/log.js';
import { testEvent, type NotifyEvent } from '../../../agent/notify/event.js';
import { createNotifier } from '../../../agent/notify/notifier.js';
import { parsePolicy } from '../../../agent/policy/parse.js';
import type { Policy } from '../../../agent/policy/schema.js';
import { startReceiver, type Receiver } from '../../integration/notify-helpers.js';
import { makeTempDir, removeDir } from '../../support/temp.js';

const SECRET = 'tok-3f9c1e77b2';
let dir: string;
let receiver: Receiver;
const lines: string[] = [];
const log: Log = {
  info: (f, m) => lines.push(`${m} ${JSON.stringify(f)}`),
  warn: (f, m) => lines.push(`${m} ${JSON.stringify(f)}`),
  error: (f, m) => lines.push(`${m} ${JSON.stringify(f)}`),
};

function policy(notify: string): Policy {
  const result = parsePolicy(
    `version: 1\nsecrets_file: ${join(dir, 'secrets.env')}\ndefaults:\n  encryption: { mode: none }\n  notify: ${notify}\n`,
    'p.yaml',
  );
  if (!result.policy) throw new Error(result.problems.map((p) => p.message).join('; '));
  return result.policy;
}

const event = (kind: 'start' | 'success' | 'fail', error: string | null = null): NotifyEvent => ({
  event: kind,
  container: 'web',
  action: 'backup',
  outcome: kind === 'start' ? 'started' : kind === 'success' ? 'succeeded' : 'failed',
  duration: null,
  bytes: null,
  error,
  host: 'h',
  time: new Date().toISOString(),
});

beforeEach(async () => {
  dir = await makeTempDir('notify');
  await writeFile(join(dir, 'secrets.env'), `HC=${SECRET}\n`, { mode: 0o600 });
  receiver = await startReceiver();
  lines.length = 0;
});
afterEach(async () => {
  await receiver.close();
  await removeDir(dir);
});

describe('notifier', () => {
  it('returns at once and delivers start before success, the secret only in the URL path', async () => {
    const p = policy(
      `{ ping: { start: "${receiver.url}/\${HC}/{name}/start", success: "${receiver.url}/\${HC}/{name}", fail: "${receiver.url}/\${HC}/{name}/fail" } }`,
    );
    const notifier = createNotifier({ policy: () => p, env: {}, log });
    const started = performance.now();
    notifier.notify(event('start'));
    notifier.notify(event('success'));
    notifier.notify(event('fail', `duplicity printed ${SECRET} somehow`));
    expect(performance.now() - started).toBeLessThan(20);
    await notifier.close();
    expect(receiver.requests.map((r) => r.path)).toEqual([`/${SECRET}/web/start`, `/${SECRET}/web`, `/${SECRET}/web/fail`]);
    expect(receiver.requests[2]!.body).toBe('backup of web failed on h: duplicity printed *** somehow');
    expect(lines).toHaveLength(3);
    expect(lines.join('\n')).not.toContain(SECRET);
  });

  it('gives up on a hanging receiver after timeout × (retries + 1) and logs it', async () => {
    receiver.setHang(true);
    const p = policy(`{ webhook: "${receiver.url}/hook/\${HC}", timeout: 1s, retries: 1 }`);
    const notifier = createNotifier({ policy: () => p, env: {}, log, backoffMs: 100 });
    const started = Date.now();
    const [delivery] = await notifier.send(event('fail', 'x'), p.defaults.notify);
    const elapsed = Date.now() - started;
    expect(delivery).toMatchObject({
      channel: 'webhook',
      ok: false,
      attempts: 2,
      error: 'no answer within 1 s',
      destination: `${receiver.url}/…`,
    });
    expect(elapsed).toBeGreaterThanOrEqual(2000);
    expect(elapsed).toBeLessThan(3500);
    expect(receiver.requests).toHaveLength(2);
  });

  it('retries a refused connection, not a 4xx; reports an unset secret by name only', async () => {
    const closed = await startReceiver();
    await closed.close();
    const p = policy(`{ webhook: "${closed.url}/x", ping: { fail: "${receiver.url}/\${MISSING}" }, retries: 2 }`);
    const notifier = createNotifier({ policy: () => p, env: {}, log, backoffMs: 10 });
    const deliveries = await notifier.send(event('fail', 'x'), p.defaults.notify);
    expect(deliveries).toEqual([
      expect.objectContaining({ channel: 'ping.fail', ok: false, attempts: 0, error: expect.stringMatching(/^secret MISSING is not set/) }),
      expect.objectContaining({ channel: 'webhook', ok: false, attempts: 3, error: expect.stringMatching(/ECONNREFUSED/) }),
    ]);
    const hook = policy(`{ webhook: "${receiver.url}/x", retries: 2 }`);
    const send = () =>
      createNotifier({ policy: () => hook, env: {}, log, backoffMs: 10 }).send(testEvent('web', 'h', new Date()), hook.defaults.notify);
    receiver.setStatus(404);
    expect((await send())[0]).toMatchObject({ ok: false, status: 404, attempts: 1, error: 'HTTP 404' });
    receiver.setStatus(503);
    expect((await send())[0]).toMatchObject({ ok: false, status: 503, attempts: 3 });
    receiver.setStatus(200);
    expect((await send())[0]).toMatchObject({ ok: true, status: 200, attempts: 1 });
  });
});
