// A container deleted while duplicity backs it up: real duplicity reads half of it and would
// call that a success. The job fails instead, the set is recorded as incomplete, and
// retention keeps the older complete chain rather than expiring it.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerFileName } from '../../agent/engine/duplicity/container-file-name.js';
import { type CliResult, runLxcBackup } from '../support/cli.js';
import { treeManifest } from '../support/container-tree.js';
import { makeTempDir, removeDir } from '../support/temp.js';

const HOOK = join(import.meta.dirname, '..', 'fixtures', 'vanish');
const NAME = 'doomed';
let work: string;
let hostRoot: string;
let target: string;
let policy: string;
let stateDir: string;

async function writePolicy(retention: string): Promise<void> {
  const secrets = join(work, 'secrets.env');
  await writeFile(secrets, 'PASSPHRASE=vanish-pass\n');
  await chmod(secrets, 0o600);
  // Small volumes: the hook deletes the container after the first of about twenty.
  await writeFile(
    policy,
    `version: 1\nhost_root: ${hostRoot}\nstate_dir: ${stateDir}\nsecrets_file: ${secrets}\ndefaults:\n  target: "file://${target}/{name}"\n  volsize: 5\n  compression: none\n  retention: { older_than: ${retention} }\n`,
  );
}

const fullManifests = async (): Promise<string[]> =>
  (await readdir(join(target, NAME))).filter((f) => /^duplicity-full\..*\.manifest\.gpg$/.test(f)).sort();

beforeAll(async () => {
  work = await makeTempDir('vanish');
  hostRoot = join(work, 'host');
  target = join(work, 'target');
  stateDir = join(work, 'state');
  policy = join(work, 'policy.yaml');
  await writePolicy('1h');
});
afterAll(async () => removeDir(work));

describe('a container deleted during its backup', () => {
  it('fails the job, marks the set incomplete, and retention keeps the older complete chain', async () => {
    const dir = join(hostRoot, NAME);
    await mkdir(join(dir, 'rootfs', 'data'), { recursive: true });
    await writeFile(join(dir, 'config'), `lxc.uts.name = ${NAME}\nlxc.rootfs.path = dir:${dir}/rootfs\n`);
    // ~100 MB of random data (incompressible), in files small enough to span many volumes.
    for (let i = 0; i < 50; i++)
      await writeFile(join(dir, 'rootfs', 'data', `f${String(i).padStart(2, '0')}`), randomBytes(2 * 1024 * 1024));
    const before = await treeManifest(dir);

    const first = await runLxcBackup(['backup', NAME, '--direct', '--policy', policy]);
    expect(first.code, first.err).toBe(0);
    const complete = await fullManifests();
    expect(complete).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 1100));

    Object.assign(process.env, { PYTHONPATH: HOOK, LXC_BACKUP_TEST_VANISH_DIR: dir, LXC_BACKUP_TEST_VANISH_TARGET: join(target, NAME) });
    let second: CliResult;
    try {
      second = await runLxcBackup(['backup', NAME, '--direct', '--full', '--policy', policy]);
    } finally {
      for (const key of ['PYTHONPATH', 'LXC_BACKUP_TEST_VANISH_DIR', 'LXC_BACKUP_TEST_VANISH_TARGET']) delete process.env[key];
    }
    // The hook fired mid-run (after the first volume, long before the last) and removed the container.
    const volumesAtRemoval = Number(await readFile(join(target, 'vanished-at-volume'), 'utf8'));
    expect(volumesAtRemoval).toBeLessThan(10);
    expect(await readdir(hostRoot)).toEqual([]);
    expect(second.code).toBe(1);
    expect(second.err).toContain(`the container directory ${dir} disappeared during the backup; this set is incomplete`);
    expect(second.err).not.toMatch(/retention failed/);

    // duplicity finished its set with what it had read: a second chain, now the newest.
    const fulls = await fullManifests();
    expect(fulls).toHaveLength(2);
    const record = JSON.parse(await readFile(join(stateDir, 'incomplete', containerFileName(NAME, '.json')), 'utf8')) as {
      sets: Array<{ time: string }>;
    };
    expect(record.sets).toHaveLength(1);
    expect(fulls[1]).toContain(record.sets[0]!.time.replace(/[-:]/g, ''));

    // Both chains are now older than the retention: only the marker keeps the complete one.
    await writePolicy('1s');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const pruned = await runLxcBackup(['prune', NAME, '--direct', '--policy', policy]);
    expect(pruned.code, pruned.err).toBe(0);
    expect(await fullManifests()).toEqual(fulls);

    // The older chain still restores the whole container.
    const restoredTo = join(work, 'restored');
    const fullTime = complete[0]!.split('.')[1]!;
    const restored = await runLxcBackup(['restore', NAME, '--to', restoredTo, '--time', fullTime, '--policy', policy]);
    expect(restored.code, restored.err).toBe(0);
    expect(await treeManifest(restoredTo)).toEqual(before);

    // Control: without the record, retention keeps the partial chain and expires the complete one.
    await rm(join(stateDir, 'incomplete'), { recursive: true });
    expect((await runLxcBackup(['prune', NAME, '--direct', '--policy', policy])).code).toBe(0);
    expect(await fullManifests()).toEqual([fulls[1]]);
  });
});
