// End to end on real LXC, pubkey mode: provision --encrypt-to PUB, the agent backs up with only
// the public key (full, incremental, retention), no secret key anywhere in the backup
// container, and scripts/restore --key PRIV --as NEW brings the container back with full
// fidelity, leaving no trace of the key in the backup container, the host's temp directories
// or the restore directory.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesHolding, generateKeyPair, type TestKeyPair } from '../support/gpg-keys.js';
import { makeTempDir, removeDir } from '../support/temp.js';
import { waitFor } from '../support/wait-for.js';
import {
  agentJournal,
  agentStatus,
  attach,
  createBusybox,
  destroyAll,
  E2E_POLL_MS,
  E2E_WORK_PARENT,
  e2eSkipReason,
  lxcpath,
  mustRun,
  REPO,
  sh,
} from './lxc.js';
import { preparedCacheEnv } from './template-cache.js';
import { addFidelityFiles, rootfsManifest } from './workload.js';

const skip = e2eSkipReason();
const prefix = `pubkey-e2e-${Math.random().toString(16).slice(2, 8)}`;
const agentCt = `${prefix}-agent`;
const [ctA, ctRestored] = [`${prefix}-a`, `${prefix}-a-restored`];
let work = '';
let host = '';
let keys: TestKeyPair;
let provisionOutput = '';
const pubFile = () => join(work, 'offsite', 'public-key.asc');
const secFile = () => join(work, 'offsite', 'secret-key.asc');
const inAgent = (args: string[]) => attach(agentCt, args, { timeoutMs: 300_000 });
// The chains on the target, or undefined while `list` cannot say (a job holds the container's lock).
const chainsOf = async (): Promise<Array<{ sets: unknown[] }> | undefined> => {
  const result = await inAgent(['lxc-backup', 'list', ctA, '--json']);
  if (result.exitCode !== 0) return undefined;
  return (JSON.parse(String(result.stdout)) as { chains: Array<{ sets: unknown[] }> }).chains;
};

// Every place a private key could be left after a restore: the backup container (its rootfs
// from the host, and its own tmpfs mounts from inside), the host's temp dirs, the restore dir.
async function traces(): Promise<string[]> {
  const needles = [keys.armoredChunk, ...keys.secretChunks, ...keys.keygrips];
  const found = [
    ...(await filesHolding(join(host, agentCt, 'rootfs'), needles)),
    ...(await filesHolding(join(work, 'restore'), needles)),
    ...(await filesHolding('/dev/shm', needles)),
  ];
  for (const dir of [tmpdir(), '/run']) {
    const listing = String((await sh('find', [dir, '-maxdepth', '2', '-name', 'lxc-backup-key*'])).stdout).trim();
    if (listing) found.push(listing);
  }
  const inside = await inAgent([
    'sh',
    '-c',
    `find /dev/shm /run /tmp -xdev -name 'lxc-backup-key*'; grep -rlF -e "$1" /dev/shm /run /tmp 2>/dev/null; true`,
    'x',
    keys.armoredChunk,
  ]);
  if (String(inside.stdout).trim()) found.push(`inside ${agentCt}: ${String(inside.stdout).trim()}`);
  return found;
}

describe.skipIf(skip !== undefined)('provision --encrypt-to on real LXC', () => {
  beforeAll(async () => {
    work = await makeTempDir('pubkey-e2e', E2E_WORK_PARENT);
    host = await lxcpath();
    await mkdir(join(work, 'keygen'), { mode: 0o700 });
    await mkdir(join(work, 'offsite'), { mode: 0o700 });
    keys = await generateKeyPair(join(work, 'keygen'));
    await writeFile(pubFile(), keys.publicKey);
    await writeFile(secFile(), keys.secretKey, { mode: 0o600 });
    await addFidelityFiles(await createBusybox(ctA, work));
    const args = [
      '--name',
      agentCt,
      '--backups-dir',
      join(work, 'backups'),
      '--restore-dir',
      join(work, 'restore'),
      '--encrypt-to',
      pubFile(),
    ];
    const started = Date.now();
    // Prepared without starting, then only this run's containers enabled (the host may hold
    // others' containers, and the agent would back them all up first), then started: a re-run.
    const env = await preparedCacheEnv();
    const prepared = await sh(join(REPO, 'scripts/provision'), [...args, '--no-start'], { timeoutMs: 900_000, env });
    if (prepared.exitCode !== 0) throw new Error(`provision --no-start exited ${String(prepared.exitCode)}:\n${String(prepared.stderr)}`);
    const policyFile = join(host, agentCt, 'rootfs', 'etc/lxc-backup/policy.yaml');
    const policy = await readFile(policyFile, 'utf8');
    await writeFile(
      policyFile,
      policy.replace(/^containers: \{\}$/m, `containers: { "*": { enabled: false }, "${prefix}-*": { enabled: true } }`),
    );
    const result = await sh(join(REPO, 'scripts/provision'), args, { timeoutMs: 900_000, env });
    provisionOutput = `${String(prepared.stdout)}\n${String(prepared.stderr)}\n${String(result.stdout)}\n${String(result.stderr)}`;
    if (result.exitCode !== 0) throw new Error(`provision exited ${String(result.exitCode)}:\n${provisionOutput}`);
    console.log(`e2e pubkey: provision took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }, 900_000);

  afterAll(async () => {
    await destroyAll(prefix);
    if (work) await removeDir(work);
  }, 300_000);

  it('provisions in pubkey mode: no passphrase, the key ids in the policy, says where the private key must live', async () => {
    expect(provisionOutput).not.toMatch(/PASSPHRASE=\S/);
    expect(provisionOutput).toMatch(/The PRIVATE key must NOT be on this host/);
    const policy = await readFile(join(host, agentCt, 'rootfs', 'etc/lxc-backup/policy.yaml'), 'utf8');
    expect(policy).toMatch(new RegExp(`mode: pubkey\\n\\s+encrypt_keys: \\[${keys.fingerprint}\\]`));
    expect(await readFile(join(host, agentCt, 'rootfs', 'etc/lxc-backup/secrets.env'), 'utf8')).not.toMatch(/^PASSPHRASE=/m);
  });

  it('backs up, incrementally, applies retention, with no secret key anywhere in the backup container', async () => {
    const ok = () =>
      waitFor(
        async () => ((await agentStatus(agentCt))?.containers.find((c) => c.name === ctA)?.state === 'ok' ? true : undefined),
        300_000,
        `${ctA} ok`,
        { intervalMs: E2E_POLL_MS, seen: () => agentJournal(agentCt) },
      );
    await ok();
    // Through the running agent (queued there): wait for each job's result on the target.
    const chainsBecome = (want: number[]) =>
      waitFor(
        async () => (JSON.stringify((await chainsOf())?.map((c) => c.sets.length)) === JSON.stringify(want) ? true : undefined),
        300_000,
        `chains ${JSON.stringify(want)}`,
        { intervalMs: 2000, seen: () => agentJournal(agentCt) },
      );
    await writeFile(join(host, ctA, 'rootfs', 'srv', 'keep.txt'), 'changed for an incremental\n');
    expect((await inAgent(['lxc-backup', 'backup', ctA])).exitCode).toBe(0);
    await chainsBecome([2]);
    await ok();
    expect((await inAgent(['lxc-backup', 'backup', ctA, '--full'])).exitCode).toBe(0);
    await chainsBecome([2, 1]);
    await ok();
    // Retention: everything older than a second goes, except the active chain.
    await mustRun('lxc-attach', [
      '-n',
      agentCt,
      '--',
      'sed',
      '-i',
      's/^    older_than: 2M$/    older_than: 1s/',
      '/etc/lxc-backup/policy.yaml',
    ]);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect((await inAgent(['lxc-backup', 'prune', ctA])).exitCode).toBe(0);
    await chainsBecome([1]);
    await ok();
    for (const home of [[], ['--homedir', '/var/lib/lxc-backup/gnupg']]) {
      const listed = await inAgent(['gpg', ...home, '--batch', '--with-colons', '--list-secret-keys']);
      expect(String(listed.stdout)).toBe('');
    }
    expect(await filesHolding(join(host, agentCt, 'rootfs'), [keys.armoredChunk, ...keys.secretChunks, ...keys.keygrips])).toEqual([]);
  }, 600_000);

  it('scripts/restore without --key fails saying a private key is needed and how to pass it', async () => {
    const result = await sh(join(REPO, 'scripts/restore'), [ctA, '--as', ctRestored, '--container', agentCt], { timeoutMs: 300_000 });
    expect(result.exitCode).not.toBe(0);
    expect(String(result.stdout) + String(result.stderr)).toMatch(/needs the private key: .*pass it with --key FILE/);
  }, 300_000);

  it('scripts/restore --key PRIV --as NEW restores with full fidelity and leaves no trace of the key', async () => {
    const result = await sh(join(REPO, 'scripts/restore'), [ctA, '--as', ctRestored, '--container', agentCt, '--key', secFile()], {
      timeoutMs: 600_000,
    });
    expect(result.exitCode, `${String(result.stdout)}\n${String(result.stderr)}`).toBe(0);
    expect(await rootfsManifest(join(host, ctRestored, 'rootfs'))).toEqual(await rootfsManifest(join(host, ctA, 'rootfs')));
    expect(await traces()).toEqual([]);
  }, 600_000);
});
