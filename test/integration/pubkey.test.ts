// pubkey mode end to end on the host (real gpg, real duplicity, the real agent): backups,
// incrementals and retention with only the public key in the agent's GnuPG home; a lost
// archive cache makes the next backup start a new chain and say why; restores need the
// private key, brought in with --key and leaving no trace of it anywhere.
import { execa } from 'execa';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesHolding, generateKeyPair, type TestKeyPair } from '../support/gpg-keys.js';
import { runLxcBackup } from '../support/cli.js';
import { waitFor } from '../support/wait-for.js';
import { startReceiver, type Receiver } from './notify-helpers.js';
import { keyTraces } from './key-traces.js';
import {
  agentStatus,
  logLines,
  makeContainer,
  makeWorld,
  policyText,
  startAgent,
  writePolicy,
  type AgentProcess,
  type AgentWorld,
} from './agent-helpers.js';

const PASSPHRASE = 'pubkey test passphrase 7f3a';
let world: AgentWorld;
let keys: TestKeyPair;
let receiver: Receiver;
let agent: AgentProcess | undefined;
let secretFile = '';
let passFile = '';
let firstChainTime = '';
const cli = (args: string[]) => runLxcBackup([...args, '--policy', world.policyPath], world.env);
const gnupgHome = () => join(world.stateDir, 'gnupg');
const etcFile = (n: number) => join(world.hostRoot, 'web', 'rootfs', 'etc', `file-${n}`);

interface ListJson {
  chains: Array<{ startTime: string; sets: Array<{ type: string; time: string }> }>;
}
const chains = async (): Promise<ListJson['chains']> => {
  const result = await cli(['list', 'web', '--json']);
  expect(result.code, result.err).toBe(0);
  return (JSON.parse(result.out) as ListJson).chains;
};

// Where a private key could be left: the state dir, the restore dirs, every temp directory.
const traces = (): Promise<string[]> =>
  keyTraces(keys, { stateDir: world.stateDir, gnupgHome: gnupgHome(), dirs: [join(world.dir, 'restored')] });

beforeAll(async () => {
  world = await makeWorld('pubkey');
  receiver = await startReceiver();
  const keygen = join(world.dir, 'keygen');
  await mkdir(keygen, { mode: 0o700 });
  keys = await generateKeyPair(keygen, PASSPHRASE);
  // The private key lives outside everything the agent owns, as it would off the host.
  secretFile = join(world.dir, 'offsite', 'secret-key.asc');
  passFile = join(world.dir, 'offsite', 'passphrase');
  await mkdir(join(world.dir, 'offsite'), { mode: 0o700 });
  await writeFile(secretFile, keys.secretKey, { mode: 0o600 });
  await writeFile(passFile, `${PASSPHRASE}\n`, { mode: 0o600 });
  await mkdir(gnupgHome(), { recursive: true, mode: 0o700 });
  await execa('gpg', ['--homedir', gnupgHome(), '--batch', '--import'], { input: keys.publicKey });
  await writeFile(join(world.dir, 'secrets.env'), '', { mode: 0o600 });
  await makeContainer(world, 'web', 3);
  await writePolicy(
    world,
    policyText(world, {
      defaults: [
        `  encryption: { mode: pubkey, encrypt_keys: [${keys.fingerprint}] }`,
        '  retention: { older_than: null, keep_full: 2 }',
        `  notify: { webhook: "${receiver.url}/hook" }`,
      ].join('\n'),
    }).replace('  encryption: { mode: none }\n', ''),
  );
}, 60_000);
afterAll(async () => {
  await agent?.stop();
  await receiver?.close();
  await world?.remove();
});

describe('pubkey mode, private key kept off the host', () => {
  it('backs up full and incrementals and applies retention with only the public key', async () => {
    const secrets = await execa('gpg', ['--homedir', gnupgHome(), '--batch', '--with-colons', '--list-secret-keys'], { reject: false });
    expect(secrets.stdout).toBe('');
    expect((await cli(['backup', 'web'])).code).toBe(0);
    await writeFile(etcFile(0), 'changed once\n');
    expect((await cli(['backup', 'web'])).code).toBe(0);
    const first = await chains();
    expect(first.map((chain) => chain.sets.map((set) => set.type))).toEqual([['full', 'inc']]);
    firstChainTime = first[0]!.sets[1]!.time;
    // Two more fulls; retention (run after each backup, and by prune) keeps the newest two chains.
    for (const n of [1, 2]) {
      await writeFile(etcFile(1), `chain ${n}\n`);
      expect((await cli(['backup', 'web', '--full'])).code).toBe(0);
    }
    const prune = await cli(['prune', 'web']);
    expect(prune.code, prune.err).toBe(0);
    const kept = await chains();
    expect(kept.map((chain) => chain.sets.map((set) => set.type))).toEqual([['full'], ['full']]);
    expect(kept[0]!.startTime > firstChainTime).toBe(true);
    // The newest chain before the cache is lost: retention after the new chain keeps it.
    firstChainTime = kept[1]!.sets[0]!.time;
    const files = await cli(['files', 'web', '--json']);
    expect(files.code, files.err).toBe(0);
    expect(files.out).toContain('rootfs/etc/file-1');
  }, 180_000);

  it('a lost archive cache: the next backup starts a new chain without the key, and says why', async () => {
    await rm(join(world.stateDir, 'cache', 'web'), { recursive: true });
    await writeFile(etcFile(2), 'after the cache was lost\n');
    agent = await startAgent(world);
    // Through the running agent: its job log and notifications.
    const viaAgent = await cli(['backup', 'web']);
    expect(viaAgent.code, viaAgent.err + agent.output()).toBe(0);
    const end = await waitFor(
      () => logLines(agent!).find((line) => line.event === 'job-end' && line.container === 'web'),
      120_000,
      'the backup of web to end',
      { seen: async () => agent!.output() },
    );
    expect(end.outcome, agent.output()).toBe('succeeded');
    expect(String(end.recovered)).toMatch(/started a new full chain: .*needs the private key, which pubkey mode keeps off this host/);
    const hook = await waitFor(
      () => receiver.requests.map((r) => JSON.parse(r.body) as Record<string, unknown>).find((h) => h.event === 'success'),
      10_000,
      'the success webhook',
    );
    expect(String(hook.recovered)).toMatch(/started a new full chain/);
    await waitFor(async () => (await agentStatus(world)).containers.find((c) => c.name === 'web')?.state === 'ok', 60_000, 'web ok');
    await agent.stop();
    agent = undefined;
    // The old chains are still there, and the next backup continues the new chain (no key needed).
    await writeFile(etcFile(0), 'an incremental on the new chain\n');
    const next = await cli(['backup', 'web']);
    expect(next.code, next.err).toBe(0);
    // Retention (keep_full: 2) removed the oldest chain and kept the one before the cache was lost.
    const after = await chains();
    expect(after).toHaveLength(2);
    expect(after[0]!.sets[0]!.time).toBe(firstChainTime);
    expect(after.at(-1)!.sets.map((set) => set.type)).toEqual(['full', 'inc']);
  }, 180_000);

  it('without --key a restore fails in one line saying a private key is needed and how to pass it', async () => {
    const result = await cli(['restore', 'web', '--to', join(world.dir, 'restored', 'nokey')]);
    expect(result.code).toBe(2);
    expect(result.err.trim().split('\n')).toHaveLength(1);
    expect(result.err).toMatch(/restore of web needs the private key: .*encryption\.mode pubkey.*pass it with --key FILE/);
  });

  it('a protected key without its passphrase and no terminal is refused, saying how to pass it', async () => {
    const result = await cli(['restore', 'web', '--to', join(world.dir, 'restored', 'nopass'), '--key', secretFile]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/passphrase-protected: pass --key-passphrase-file/);
    expect(await traces()).toEqual([]);
  });

  it('restores the old chain and the newest backup with --key, leaving no trace of the key', async () => {
    const key = ['--key', secretFile, '--key-passphrase-file', passFile];
    const old = join(world.dir, 'restored', 'old');
    const restoredOld = await cli(['restore', 'web', '--to', old, '--time', firstChainTime, ...key]);
    expect(restoredOld.code, restoredOld.err).toBe(0);
    expect(await readFile(join(old, 'rootfs', 'etc', 'file-1'), 'utf8')).toBe('chain 2\n');
    expect(await readFile(join(old, 'rootfs', 'etc', 'file-2'), 'utf8')).toBe('web 2\n');
    const newest = join(world.dir, 'restored', 'newest');
    const restored = await cli(['restore', 'web', '--to', newest, ...key]);
    expect(restored.code, restored.err).toBe(0);
    expect(await readFile(join(newest, 'rootfs', 'etc', 'file-0'), 'utf8')).toBe('an incremental on the new chain\n');
    expect(await readFile(join(newest, 'rootfs', 'etc', 'file-2'), 'utf8')).toBe('after the cache was lost\n');
    expect(restored.out + restored.err).not.toContain(PASSPHRASE);
    expect(await traces()).toEqual([]);
  }, 180_000);

  it('a restore with --key that fails leaves no trace of the key either', async () => {
    const failed = await cli([
      'restore',
      'web',
      '--to',
      join(world.dir, 'restored', 'failed'),
      '--path',
      'rootfs/no-such-path',
      '--key',
      secretFile,
      '--key-passphrase-file',
      passFile,
    ]);
    expect(failed.code).toBe(1);
    expect(await traces()).toEqual([]);
  }, 120_000);

  it('the trace search finds the key where it is (it can fail)', async () => {
    expect(await filesHolding(join(world.dir, 'offsite'), [keys.armoredChunk])).toEqual([secretFile]);
    await writeFile(join(world.dir, 'offsite', 'secret-key.gpg'), keys.secretBinary);
    for (const chunk of keys.secretChunks) {
      expect(await filesHolding(join(world.dir, 'offsite'), [chunk])).toEqual([join(world.dir, 'offsite', 'secret-key.gpg')]);
    }
    // A GnuPG home that holds the key (where gpg made it) is found by its key files.
    expect((await filesHolding(join(world.dir, 'keygen'), keys.keygrips)).length).toBe(keys.secretChunks.length);
  });
});
