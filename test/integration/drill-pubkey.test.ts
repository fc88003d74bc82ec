// Restore drills in pubkey mode (real gpg, real duplicity, the real agent): a drill by hand
// brings the private key with --key, as a restore does, and leaves no trace of it; without a
// key it fails in one line saying how to pass one; scheduled drills run only where the admin
// left a key for them (verify.key_file), and elsewhere status says they are off, and why.
import { execa } from 'execa';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatusReport } from '../../agent/daemon/status-report.js';
import { generateKeyPair, type TestKeyPair } from '../support/gpg-keys.js';
import { runLxcBackup } from '../support/cli.js';
import { waitFor } from '../support/wait-for.js';
import { keyTraces } from './key-traces.js';
import {
  agentStatus,
  makeContainer,
  makeWorld,
  policyText,
  startAgent,
  writePolicy,
  type AgentProcess,
  type AgentWorld,
} from './agent-helpers.js';

const PASSPHRASE = 'drill pubkey passphrase 41c9';
let world: AgentWorld;
let agent: AgentProcess | undefined;
// `offsite`: protected, brought in by hand; `left`: unprotected, left on the host for scheduled drills.
let offsite: TestKeyPair;
let left: TestKeyPair;
const paths = { offsiteKey: '', passFile: '', leftKey: '' };
const cli = (args: string[]) => runLxcBackup([...args, '--policy', world.policyPath], world.env);
const gnupgHome = () => join(world.stateDir, 'gnupg');
const traces = (keys: TestKeyPair) => keyTraces(keys, { stateDir: world.stateDir, gnupgHome: gnupgHome() });
const row = (status: StatusReport, name: string) => status.containers.find((c) => c.name === name);

beforeAll(async () => {
  world = await makeWorld('drill-pubkey');
  for (const sub of ['keygen-a', 'keygen-b', 'offsite', 'left']) await mkdir(join(world.dir, sub), { mode: 0o700 });
  offsite = await generateKeyPair(join(world.dir, 'keygen-a'), PASSPHRASE);
  left = await generateKeyPair(join(world.dir, 'keygen-b'));
  paths.offsiteKey = join(world.dir, 'offsite', 'secret-key.asc');
  paths.passFile = join(world.dir, 'offsite', 'passphrase');
  paths.leftKey = join(world.dir, 'left', 'drill-key.asc');
  await writeFile(paths.offsiteKey, offsite.secretKey, { mode: 0o600 });
  await writeFile(paths.passFile, `${PASSPHRASE}\n`, { mode: 0o600 });
  await writeFile(paths.leftKey, left.secretKey, { mode: 0o600 });
  await mkdir(gnupgHome(), { recursive: true, mode: 0o700 });
  for (const keys of [offsite, left]) {
    await execa('gpg', ['--homedir', gnupgHome(), '--batch', '--import'], { input: keys.publicKey });
  }
  await writeFile(join(world.dir, 'secrets.env'), '', { mode: 0o600 });
  await makeContainer(world, 'web', 5);
  await makeContainer(world, 'keyed', 5);
  // Backups are encrypted to both keys; max_age 1s would make any container without a recent
  // passed drill `unverified` at once, if its drills were on.
  await writePolicy(
    world,
    policyText(world, {
      defaults: [
        `  encryption: { mode: pubkey, encrypt_keys: [${offsite.fingerprint}, ${left.fingerprint}] }`,
        '  verify: { every: 1m, max_age: 1s }',
      ].join('\n'),
      extra: `containers:\n  keyed: { verify: { key_file: ${paths.leftKey}, max_age: 10m } }`,
    }).replace('  encryption: { mode: none }\n', ''),
  );
  for (const name of ['web', 'keyed']) {
    const backup = await cli(['backup', name]);
    expect(backup.code, backup.err).toBe(0);
  }
}, 120_000);
afterAll(async () => {
  await agent?.stop();
  await world?.remove();
});

describe('restore drills in pubkey mode', () => {
  it('without a key a drill fails in one line saying a private key is needed and how to pass it', async () => {
    const result = await cli(['drill', 'web']);
    expect(result.code).toBe(2);
    expect(result.err.trim().split('\n')).toHaveLength(1);
    expect(result.err).toMatch(/drill of web needs the private key: .*encryption\.mode pubkey.*pass it with --key FILE/);
  });

  it('drill --key passes and leaves no trace of the key', async () => {
    const result = await cli(['drill', 'web', '--key', paths.offsiteKey, '--key-passphrase-file', paths.passFile]);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toMatch(/web: drill passed in/);
    expect(result.out).toMatch(/web: \d+ sampled file\(s\) checked, 0 mismatch\(es\)/);
    expect(result.out + result.err).not.toContain(PASSPHRASE);
    expect(await traces(offsite)).toEqual([]);
  }, 120_000);

  it('a drill by hand without --key uses verify.key_file where the admin left one', async () => {
    const result = await cli(['drill', 'keyed', '--json']);
    expect(result.code, result.err).toBe(0);
    expect(JSON.parse(result.out)).toMatchObject({ ok: true, mismatches: 0 });
  }, 120_000);

  it('scheduled drills run with verify.key_file; without it status says drills are off and why', async () => {
    agent = await startAgent(world);
    await waitFor(async () => row(await agentStatus(world), 'keyed')?.last_verified != null, 200_000, 'a scheduled drill of keyed', {
      seen: async () => agent?.output() ?? '',
    });
    const status = await agentStatus(world);
    expect(row(status, 'keyed')).toMatchObject({ state: 'ok', last_drill: { ok: true, mismatches: 0 } });
    expect(row(status, 'keyed')?.drills_off).toBeUndefined();
    const web = row(status, 'web');
    expect(web?.state).toBe('ok');
    expect(web?.last_drill).toBeNull();
    expect(web?.drills_off?.cause).toBe('no_key');
    expect(web?.drills_off?.reason).toMatch(/pubkey and verify\.key_file is not set/);
    const table = await cli(['status']);
    const [header = '', ...lines] = table.out.split('\n');
    const line = lines.find((l) => l.startsWith('web ')) ?? '';
    expect(line.slice(header.indexOf('VERIFIED'))).toMatch(/^off \(no key\)/);
    // With the agent running, a plain drill without a key the agent could use runs here and fails at once.
    const nokey = await cli(['drill', 'web']);
    expect(nokey.code).toBe(2);
    expect(nokey.err.trim().split('\n')).toHaveLength(1);
    expect(nokey.err).toMatch(/drill of web needs the private key: .*pass it with --key FILE/);
    await agent.stop();
    agent = undefined;
    // The left key stays where the admin put it, and only there.
    expect(await traces(left)).toEqual([]);
    expect(await traces(offsite)).toEqual([]);
  }, 300_000);
});
