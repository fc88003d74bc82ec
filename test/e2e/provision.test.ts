// End to end on real LXC: scripts/provision creates the backup container, the agent in it
// backs up busybox containers, follows creates/destroys and policy edits, survives a
// restart; scripts/restore brings a container back under a new name. One backup container
// per run (provisioning is the slow part), so the steps run in order and build on each other.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  missingDefaultBridge,
  mustRun,
  REPO,
  sh,
  timedRun,
  uniquePrefix,
  type StatusJson,
} from './lxc.js';
import { addFidelityFiles, rootfsManifest } from './workload.js';

const skip = e2eSkipReason();
if (skip) console.warn(`e2e skipped: ${skip}`);

const prefix = uniquePrefix();
const agentCt = `${prefix}-agent`;
const [ctA, ctB, ctC, ctRestored] = ['a', 'b', 'c', 'a-restored'].map((s) => `${prefix}-${s}`) as [string, string, string, string];
let work = '';
let host = '';
// Without --network: on a host whose default bridge is missing (these machines), provision
// must see that before creating anything and make the container without network itself.
let missingBridge: string | undefined;
const provisionArgs = (): string[] => [
  '--name',
  agentCt,
  '--backups-dir',
  join(work, 'backups'),
  '--restore-dir',
  join(work, 'restore'),
  '--timeout',
  '180',
];
const agentFile = (path: string): string => join(host, agentCt, 'rootfs', path);
// The host command and its completion go under the run's work directory, not /usr/local and
// /usr/share: other runs on this machine provision (and uninstall) their own at the same time.
const hostCommand = (): string => join(work, 'host-command', 'sbin', 'lxc-backup');
const hostEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  LXCB_HOST_COMMAND: hostCommand(),
  LXCB_HOST_LIB: join(work, 'host-command', 'lib'),
  LXCB_COMPLETION_FILE: join(work, 'host-command', 'completion', 'lxc-backup'),
});
const sha256 = async (path: string): Promise<string> =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
const row = (status: StatusJson | undefined, name: string) => status?.containers.find((c) => c.name === name);
const statusText = async (): Promise<string> => `${JSON.stringify(await agentStatus(agentCt), null, 1)}\n${await agentJournal(agentCt)}`;

async function provision(extra: string[] = []): Promise<{ output: string; seconds: number }> {
  const started = Date.now();
  const result = await sh(join(REPO, 'scripts/provision'), [...provisionArgs(), ...extra], { timeoutMs: 900_000, env: hostEnv() });
  const output = `${String(result.stdout)}\n${String(result.stderr)}`;
  if (result.exitCode !== 0) throw new Error(`provision exited ${String(result.exitCode)}:\n${output}`);
  return { output, seconds: (Date.now() - started) / 1000 };
}

// Waits until every named container is in `state` in the agent's status.
function waitForStates(names: string[], state: string, timeoutMs: number): Promise<StatusJson> {
  return waitFor(
    async () => {
      const status = await agentStatus(agentCt);
      return names.every((name) => row(status, name)?.state === state) ? status : undefined;
    },
    timeoutMs,
    `${names.join(', ')} to be ${state}`,
    { intervalMs: E2E_POLL_MS, seen: statusText },
  );
}

async function backupFiles(name: string): Promise<string[]> {
  return readdir(join(work, 'backups', name)).catch(() => []);
}

describe.skipIf(skip !== undefined)('provision + agent + restore on real LXC', () => {
  let firstProvision = '';
  let failedProvision = { code: 0 as number | undefined, output: '' };

  beforeAll(async () => {
    work = await makeTempDir('e2e', E2E_WORK_PARENT);
    host = await lxcpath();
    missingBridge = await missingDefaultBridge();
    await addFidelityFiles(await createBusybox(ctA, work));
    await createBusybox(ctB, work);
    // A failure after lxc-create (the backups directory cannot be made under a file): the
    // half-made container must go, and the run below, a re-run, must get through.
    await writeFile(join(work, 'a-file'), '');
    const failing = await sh(join(REPO, 'scripts/provision'), [...provisionArgs(), '--backups-dir', join(work, 'a-file', 'backups')], {
      timeoutMs: 900_000,
    });
    failedProvision = { code: failing.exitCode, output: `${String(failing.stdout)}\n${String(failing.stderr)}` };
    const { output, seconds } = await provision();
    firstProvision = output;
    console.log(`e2e: provision (new container) took ${seconds.toFixed(1)} s`);
  }, 900_000);

  afterAll(async () => {
    const removed = await destroyAll(prefix);
    if (work) await removeDir(work);
    const left = String((await sh('lxc-ls', ['-1'])).stdout)
      .split(/\s+/)
      .filter((n) => n.startsWith(prefix));
    console.log(`e2e: removed containers ${removed.join(', ')}; left behind: ${left.length}`);
  }, 300_000);

  it('a failed provision removes the container it made, prints no passphrase, and says a re-run works', async () => {
    expect(failedProvision.code, failedProvision.output).not.toBe(0);
    expect(failedProvision.output).toContain(`removed the half-made container ${agentCt}`);
    expect(failedProvision.output).not.toContain('PASSPHRASE=');
    expect(failedProvision.output).toContain('a re-run');
  });

  it('decides about a missing default bridge before creating anything: no network, said in one line', () => {
    if (!missingBridge) {
      console.warn('e2e: this host has its default LXC bridge: the missing-bridge fallback was not exercised');
      return;
    }
    const lines = firstProvision.split('\n');
    const said = lines.findIndex((line) => line.includes(`no bridge '${missingBridge}'`) && line.includes('without network'));
    const created = lines.findIndex((line) => line.startsWith(`provision: creating ${agentCt}`));
    expect(said, firstProvision).toBeGreaterThanOrEqual(0);
    expect(said).toBeLessThan(created);
  });

  it('provisions: prints the passphrase once, verifies /mnt/lxc read-only, and both containers get a full backup', async () => {
    expect(firstProvision).toMatch(/PASSPHRASE=\S{20,}/);
    expect(firstProvision).toContain('/mnt/lxc is read-only');
    expect(await readFile(agentFile('etc/lxc-backup/secrets.env'), 'utf8')).toMatch(/^PASSPHRASE=/m);
    const status = await waitForStates([ctA, ctB], 'ok', 240_000);
    expect(row(status, agentCt)?.state ?? 'absent').not.toBe('ok');
    for (const name of [ctA, ctB]) expect((await backupFiles(name)).some((f) => /^duplicity-full\..*\.manifest\.gpg$/.test(f))).toBe(true);
  }, 300_000);

  it('cannot write to /mnt/lxc inside the backup container', async () => {
    const result = await attach(agentCt, ['touch', '/mnt/lxc/write-probe']);
    expect(result.exitCode).not.toBe(0);
    expect(String(result.stderr)).toContain('Read-only file system');
  });

  it('backs up a newly created container and marks a destroyed one orphaned, keeping its backups', async () => {
    await mustRun('lxc-attach', ['-n', agentCt, '--', 'sed', '-i', 's/^  settle: .*/  settle: 5s/', '/etc/lxc-backup/policy.yaml']);
    await new Promise((r) => setTimeout(r, 3000));
    await createBusybox(ctC, work);
    await waitForStates([ctC], 'ok', 120_000);
    const before = await backupFiles(ctB);
    await mustRun('lxc-destroy', ['-n', ctB]);
    const status = await waitForStates([ctB], 'orphaned', 60_000);
    expect(row(status, ctB)?.orphaned_since).toBeTruthy();
    expect(await backupFiles(ctB)).toEqual(before);
  }, 300_000);

  it('applies a policy edit (an exclude) to the next backup', async () => {
    const listed = async (): Promise<string> => String((await attach(agentCt, ['lxc-backup', 'files', ctA], { timeoutMs: 60_000 })).stdout);
    expect(await listed()).toContain('rootfs/srv/skip-me/secret-cache.bin');
    await mustRun('lxc-attach', [
      '-n',
      agentCt,
      '--',
      'sed',
      '-i',
      '/^    - rootfs\\/var\\/cache\\/apt/a\\    - rootfs/srv/skip-me/**',
      '/etc/lxc-backup/policy.yaml',
    ]);
    // The edit really landed: a sed that matches no line leaves the policy as it was.
    expect(await readFile(agentFile('etc/lxc-backup/policy.yaml'), 'utf8')).toContain('    - rootfs/srv/skip-me/**');
    await new Promise((r) => setTimeout(r, 3000));
    expect((await agentStatus(agentCt))?.policy.valid).toBe(true);
    const backup = await attach(agentCt, ['lxc-backup', 'backup', ctA], { timeoutMs: 120_000 });
    expect(backup.exitCode, `${String(backup.stdout)}${String(backup.stderr)}`).toBe(0);
    const files = await waitFor(
      async () => {
        const text = await listed();
        return !text.includes('rootfs/srv/skip-me/secret-cache.bin') && text.includes('rootfs/srv/keep.txt') ? text : undefined;
      },
      120_000,
      'the next backup without srv/skip-me',
      { intervalMs: E2E_POLL_MS, seen: statusText },
    );
    expect(files).toContain('rootfs/srv/data/owned.txt');
  }, 300_000);

  it('restores a container --as a new name that starts and has the same rootfs (owners, modes, xattrs)', async () => {
    await waitForStates([ctA], 'ok', 120_000);
    // Without --container: the one backup container is found by its config block. Another
    // run's backup container on this machine makes that ambiguous: then it must say so.
    let restore = await timedRun(join(REPO, 'scripts/restore'), [ctA, '--as', ctRestored]);
    let text = restore.lines.map((l) => `${l.at} ${l.text}`).join('\n');
    if (restore.code !== 0 && /found \d+ backup containers/.test(text)) {
      console.warn(`e2e: several backup containers on this host, restoring with --container: ${text}`);
      restore = await timedRun(join(REPO, 'scripts/restore'), [ctA, '--as', ctRestored, '--container', agentCt]);
      text = restore.lines.map((l) => `${l.at} ${l.text}`).join('\n');
    }
    expect(restore.code, text).toBe(0);
    // The inner restore's phases are relayed as they happen, not all at the end.
    const fetching = restore.lines.find((l) => /: fetching, \d+:\d\d$/.test(l.text));
    const moving = restore.lines.find((l) => /: moving into place, \d+:\d\d$/.test(l.text));
    expect(fetching, text).toBeDefined();
    expect(moving, text).toBeDefined();
    expect(moving!.at - fetching!.at, text).toBeGreaterThan(100);
    expect(restore.exitAt - fetching!.at, text).toBeGreaterThan(100);
    const config = await readFile(join(host, ctRestored, 'config'), 'utf8');
    expect(config).toMatch(new RegExp(`^lxc\\.uts\\.name = ${ctRestored}$`, 'm'));
    expect(config).toContain(`lxc.rootfs.path = dir:${join(host, ctRestored, 'rootfs')}`);
    expect(await rootfsManifest(join(host, ctRestored, 'rootfs'))).toEqual(await rootfsManifest(join(host, ctA, 'rootfs')));
    const again = await sh(join(REPO, 'scripts/restore'), [ctA, '--as', ctRestored, '--container', agentCt]);
    expect(again.exitCode).not.toBe(0);
    expect(String(again.stderr)).toContain('exists');
    await mustRun('lxc-start', ['-n', ctRestored]);
    await mustRun('lxc-wait', ['-n', ctRestored, '-s', 'RUNNING', '-t', '30']);
    expect(String((await attach(ctRestored, ['hostname'])).stdout).trim()).toBe(ctRestored);
    const overRunning = await sh(join(REPO, 'scripts/restore'), [ctRestored, '--force', '--container', agentCt]);
    expect(String(overRunning.stderr)).toContain('never overwritten');
    await mustRun('lxc-stop', ['-n', ctRestored, '-k']);
  }, 300_000);

  it('restores in place: only with --force over a stopped container, and a destroyed one by its name', async () => {
    const restoreScript = join(REPO, 'scripts/restore');
    const original = await rootfsManifest(join(host, ctA, 'rootfs'));
    const refused = await sh(restoreScript, [ctA, '--container', agentCt]);
    expect(refused.exitCode).not.toBe(0);
    expect(String(refused.stderr)).toContain('--force');
    const forced = await sh(restoreScript, [ctA, '--force', '--container', agentCt], { timeoutMs: 300_000 });
    expect(forced.exitCode, `${String(forced.stdout)}${String(forced.stderr)}`).toBe(0);
    expect(await rootfsManifest(join(host, ctA, 'rootfs'))).toEqual(original);
    const revived = await sh(restoreScript, [ctB, '--container', agentCt], { timeoutMs: 300_000 });
    expect(revived.exitCode, `${String(revived.stdout)}${String(revived.stderr)}`).toBe(0);
    expect(await readFile(join(host, ctB, 'config'), 'utf8')).toMatch(new RegExp(`^lxc\\.uts\\.name = ${ctB}$`, 'm'));
    expect(await readdir(host)).not.toContainEqual(expect.stringMatching(/lxc-backup-(restoring|replaced)/));
  }, 300_000);

  it('comes back by itself after the backup container is stopped and started', async () => {
    await mustRun('lxc-stop', ['-n', agentCt, '-t', '90'], { timeoutMs: 120_000 });
    await mustRun('lxc-start', ['-n', agentCt]);
    const status = await waitForStates([ctA, ctC], 'ok', 120_000);
    expect(row(status, ctB)).toBeDefined();
    const write = await attach(agentCt, ['touch', '/mnt/lxc/write-probe']);
    expect(String(write.stderr)).toContain('Read-only file system');
    // systemd starts it through the CLI wrapper, which execs node with the agent's V8 flags.
    const pid = String((await attach(agentCt, ['systemctl', 'show', '--value', '-p', 'MainPID', 'lxc-backup.service'])).stdout).trim();
    const cmdline = String((await attach(agentCt, ['cat', `/proc/${pid}/cmdline`])).stdout).split('\0');
    expect(cmdline).toEqual([
      'node',
      '--max-semi-space-size=1',
      '--optimize-for-size',
      '--expose-gc',
      '/opt/lxc-backup/lxc-backup.mjs',
      'agent',
      '',
    ]);
  }, 300_000);

  it('keeps the passphrase and the policy when provision runs again', async () => {
    const files = ['etc/lxc-backup/secrets.env', 'etc/lxc-backup/policy.yaml'].map(agentFile);
    const before = await Promise.all(files.map(sha256));
    const { output, seconds } = await provision();
    console.log(`e2e: provision (re-run, upgrade in place) took ${seconds.toFixed(1)} s`);
    expect(output).not.toContain('PASSPHRASE=');
    expect(await Promise.all(files.map(sha256))).toEqual(before);
    expect((await agentStatus(agentCt))?.policy.valid).toBe(true);
  }, 600_000);

  it('installs the host command: `lxc-backup status` on the host prints the table of the one inside, with its exit code', async () => {
    expect(firstProvision).toContain(`installed the host command ${hostCommand()}`);
    // Local times (to the minute; relative ones tick every second) and other runs' containers
    // changing state between the two runs: compare until a pair matches.
    let last = '';
    const pair = await waitFor(
      async () => {
        const outside = await sh(hostCommand(), ['--container', agentCt, 'status', '--local-time'], { env: hostEnv() });
        const inside = await attach(agentCt, ['lxc-backup', 'status', '--local-time']);
        last = `host (exit ${String(outside.exitCode)}):\n${String(outside.stdout)}${String(outside.stderr)}\ninside (exit ${String(inside.exitCode)}):\n${String(inside.stdout)}`;
        return String(outside.stdout) === String(inside.stdout) ? { outside, inside } : undefined;
      },
      60_000,
      'the same status table on the host and inside',
      { intervalMs: 1000, seen: async () => last },
    );
    expect(pair.outside.exitCode).toBe(pair.inside.exitCode);
    expect(String(pair.outside.stdout)).toContain(ctA);
    const json = await sh(hostCommand(), ['--container', agentCt, 'status', '--json'], { env: hostEnv() });
    expect((JSON.parse(String(json.stdout)) as StatusJson).containers.map((c) => c.name)).toContain(ctA);
    const usage = await sh(hostCommand(), ['--container', agentCt, 'history'], { env: hostEnv() });
    expect(usage.exitCode).toBe((await attach(agentCt, ['lxc-backup', 'history'])).exitCode);
    expect(usage.exitCode).toBe(2);
    // Without --container it finds the one backup container, or says there are several.
    const found = await sh(hostCommand(), ['status'], { env: hostEnv() });
    if (found.exitCode !== 0) expect(String(found.stderr)).toMatch(/found \d+ backup containers .*choose one with --container/);
  }, 120_000);

  it('shows the history of a container from the host', async () => {
    const history = await sh(hostCommand(), ['--container', agentCt, 'history', ctA, '--json'], { env: hostEnv() });
    expect(history.exitCode, String(history.stderr)).toBe(0);
    const jobs = (JSON.parse(String(history.stdout)) as { jobs: Array<{ action: string; outcome: string }> }).jobs;
    expect(jobs.filter((job) => job.action === 'backup' && job.outcome === 'ok').length).toBeGreaterThanOrEqual(2);
  });

  it('completes verbs and container names in bash', async () => {
    const env = hostEnv();
    const complete = async (words: string[]): Promise<string[]> => {
      const script = [
        `source ${env.LXCB_COMPLETION_FILE ?? ''}`,
        `COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')})`,
        `COMP_CWORD=${words.length - 1}`,
        '_lxc_backup',
        'printf "%s\\n" "${COMPREPLY[@]}"',
      ].join('\n');
      const result = await sh('bash', ['-c', script], { env: { ...env, PATH: `${join(work, 'host-command', 'sbin')}:${env.PATH ?? ''}` } });
      return String(result.stdout).split('\n').filter(Boolean);
    };
    expect(await complete(['lxc-backup', 'hist'])).toEqual(['history']);
    expect(await complete(['lxc-backup', 'history', prefix])).toEqual(expect.arrayContaining([ctA, ctC]));
    expect(await complete(['lxc-backup', 'restore', ctB.slice(0, -1)])).toContain(ctB);
  });

  it('--uninstall removes the backup container and keeps backups and secrets', async () => {
    const secretsBefore = await sha256(agentFile('etc/lxc-backup/secrets.env'));
    const saved = join(work, 'saved', 'secrets.env');
    const result = await sh(join(REPO, 'scripts/provision'), ['--name', agentCt, '--uninstall', '--save-secrets', saved], {
      timeoutMs: 300_000,
      env: hostEnv(),
    });
    expect(result.exitCode, String(result.stderr)).toBe(0);
    // The host command goes with the last backup container (another run's may still be here).
    if (/keeping the host command/.test(String(result.stdout))) console.warn(`e2e: ${String(result.stdout)}`);
    else expect(existsSync(hostCommand())).toBe(false);
    expect(String(result.stdout)).toContain(saved);
    expect(await sha256(saved)).toBe(secretsBefore);
    expect(String((await sh('lxc-ls', ['-1'])).stdout).split(/\s+/)).not.toContain(agentCt);
    expect((await backupFiles(ctA)).length).toBeGreaterThan(0);
  }, 300_000);
});
