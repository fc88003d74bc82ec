// `lxc-backup notify test`: a test event through every configured channel, each delivery
// reported, exit 1 when any failed; secrets stay out of the output.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runLxcBackup } from '../support/cli.js';
import { makeTempDir, removeDir } from '../support/temp.js';
import { startReceiver, type Receiver } from './notify-helpers.js';

const SECRET = 'ping-key-5e1f0c';
let dir: string;
let receiver: Receiver;

beforeEach(async () => {
  dir = await makeTempDir('notify-cli');
  receiver = await startReceiver();
  await writeFile(join(dir, 'secrets.env'), `HC=${SECRET}\n`, { mode: 0o600 });
});
afterEach(async () => {
  await receiver.close();
  await removeDir(dir);
});

async function policy(containers = '{}'): Promise<string> {
  const path = join(dir, 'policy.yaml');
  await writeFile(
    path,
    [
      'version: 1',
      `secrets_file: ${join(dir, 'secrets.env')}`,
      'defaults:',
      '  encryption: { mode: none }',
      `  notify: { ping: { start: "${receiver.url}/\${HC}/{name}/start", success: "${receiver.url}/\${HC}/{name}" }, webhook: "${receiver.url}/hook" }`,
      `containers: ${containers}`,
    ].join('\n'),
  );
  return path;
}

describe('notify test', () => {
  it('delivers through every channel of NAME and reports each', async () => {
    const result = await runLxcBackup(['notify', 'test', 'web', '--policy', await policy()]);
    expect(result.code, result.err).toBe(0);
    expect(receiver.requests.map((r) => r.path)).toEqual(expect.arrayContaining([`/${SECRET}/web/start`, `/${SECRET}/web`, '/hook']));
    expect(JSON.parse(receiver.requests.find((r) => r.path === '/hook')!.body)).toMatchObject({ event: 'test', container: 'web' });
    expect(
      result.out
        .trim()
        .split('\n')
        .map((line) => line.split(/\s+/).slice(0, 2).join(' ')),
    ).toEqual(['ok ping.start', 'ok ping.success', 'ok webhook']);
    expect(result.out).not.toContain(SECRET);
  });

  it('exits 1 naming the channel that failed', async () => {
    const closed = await startReceiver();
    await closed.close();
    const file = await policy(`{ db: { notify: { webhook: "${closed.url}/hook", retries: 0, timeout: 2s } } }`);
    const result = await runLxcBackup(['notify', 'test', 'db', '--policy', file, '--json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.out) as { deliveries: Array<{ channel: string; ok: boolean; error?: string }> };
    expect(report.deliveries.filter((d) => !d.ok)).toEqual([
      expect.objectContaining({ channel: 'webhook', error: expect.stringMatching(/ECONNREFUSED/) }),
    ]);
    expect(result.err).toMatch(/1 of 3 notification\(s\) not delivered/);
  });

  it('exits 1 when nothing is configured', async () => {
    const file = join(dir, 'bare.yaml');
    await writeFile(file, 'version: 1\ndefaults: { encryption: { mode: none } }\n');
    const result = await runLxcBackup(['notify', 'test', '--policy', file]);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/no notification channels configured for the defaults/);
  });
});
