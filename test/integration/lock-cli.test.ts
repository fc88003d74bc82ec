// The container lock through the real CLI and real duplicity: a lock file left by a dead job
// never blocks, whatever pid it names; a live holder is named with its file; long names work.
import { execa, type ResultPromise } from 'execa';
import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { containerLayout } from '../../agent/engine/duplicity/layout.js';
import { runLxcBackup } from '../support/cli.js';
import { makeTempDir, removeDir } from '../support/temp.js';

const HOLDER = join(import.meta.dirname, '..', 'fixtures', 'lock', 'hold-lock.ts');
let work: string;
let hostRoot: string;
let stateDir: string;
let target: string;
let policy: string;
let children: ResultPromise[] = [];

beforeAll(async () => {
  work = await makeTempDir('lock-cli');
  hostRoot = join(work, 'host');
  stateDir = join(work, 'state');
  target = join(work, 'target');
  await mkdir(hostRoot);
  const secrets = join(work, 'secrets.env');
  await writeFile(secrets, 'PASSPHRASE=lock-pass\n');
  await chmod(secrets, 0o600);
  policy = join(work, 'policy.yaml');
  await writeFile(
    policy,
    `version: 1\nhost_root: ${hostRoot}\nstate_dir: ${stateDir}\nsecrets_file: ${secrets}\ndefaults:\n  target: "file://${target}/{name}"\n`,
  );
});
afterEach(async () => {
  for (const child of children) child.kill('SIGKILL');
  await Promise.allSettled(children);
  children = [];
});
afterAll(async () => removeDir(work));

async function container(name: string): Promise<void> {
  const dir = join(hostRoot, name);
  await mkdir(join(dir, 'rootfs', 'etc'), { recursive: true });
  await writeFile(join(dir, 'config'), `lxc.uts.name = x\nlxc.rootfs.path = dir:${dir}/rootfs\n`);
  await writeFile(join(dir, 'rootfs', 'etc', 'hostname'), `${name.slice(0, 20)}\n`);
}

const lockFileOf = (name: string): string => containerLayout({ host_root: hostRoot, state_dir: stateDir }, name).lockFile;

describe('a lock file left behind by a dead job', () => {
  it.each([
    ['the agent’s own pid', () => `${process.pid}\n`],
    ['pid 1', () => '1\n'],
    ['a holder line naming pid 1', () => 'pid 1 backup of stale since 2020-01-01T00:00:00.000Z\n'],
  ])('with %s does not block the next backup', async (_what, content) => {
    const name = `stale-${Math.random().toString(36).slice(2, 8)}`;
    await container(name);
    await mkdir(join(stateDir, 'locks'), { recursive: true });
    await writeFile(lockFileOf(name), content());
    const result = await runLxcBackup(['backup', name, '--direct', '--policy', policy]);
    expect(result.code, result.err).toBe(0);
    expect((await readdir(join(target, name))).some((file) => file.startsWith('duplicity-full.') && file.endsWith('.manifest.gpg'))).toBe(
      true,
    );
  });
});

describe('a live holder', () => {
  it('turns the backup away with a message naming the holder and the lock file, and lets it run once killed', async () => {
    const name = 'held';
    await container(name);
    const child = execa('node', ['--import', 'tsx', HOLDER, lockFileOf(name)], { reject: false, buffer: false, stdout: 'pipe' });
    children.push(child);
    await new Promise<void>((resolve) => child.stdout?.once('data', () => resolve()));
    const refused = await runLxcBackup(['backup', name, '--direct', '--policy', policy]);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(`cannot start the backup of held: already running (pid ${child.pid}): backup of child since `);
    expect(refused.err).toContain(`lock file ${lockFileOf(name)}`);
    child.kill('SIGKILL');
    await child;
    const ran = await runLxcBackup(['backup', name, '--direct', '--policy', policy]);
    expect(ran.code, ran.err).toBe(0);
  });
});

describe('long container names', () => {
  it.each([250, 255])('backs up and restores a container whose name has %i characters', async (length) => {
    const name = `long-${'n'.repeat(length - 5)}`;
    await container(name);
    const result = await runLxcBackup(['backup', name, '--direct', '--policy', policy]);
    expect(result.code, result.err).toBe(0);
    expect(await readFile(lockFileOf(name), 'utf8')).toMatch(/^pid \d+ (backup|prune) of long-n+ since /);
    const to = join(work, `restored-${length}`);
    const restored = await runLxcBackup(['restore', name, '--to', to, '--policy', policy]);
    expect(restored.code, restored.err).toBe(0);
    expect(await readFile(join(to, 'rootfs', 'etc', 'hostname'), 'utf8')).toBe(`${name.slice(0, 20)}\n`);
  });
});
