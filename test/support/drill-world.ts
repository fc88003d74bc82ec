// A small world for drill tests: a host root with containers, a symmetric-encrypted file://
// target, and the CLI run against it (`lxc-backup backup --direct`, `lxc-backup drill --json`).
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DrillResult } from '../../agent/engine/drill/drill.js';
import { type CliResult, runLxcBackup } from './cli.js';
import { makeTempDir, removeDir } from './temp.js';

export const DRILL_PASSPHRASE = 'drill-test-pass';

export interface DrillWorld {
  dir: string;
  hostRoot: string;
  stateDir: string;
  target: string;
  policy: string;
  env: NodeJS.ProcessEnv;
  remove(): Promise<void>;
}

// Creates the world; `defaults` is appended to the policy's defaults section (indented lines).
export async function makeDrillWorld(prefix: string, defaults = ''): Promise<DrillWorld> {
  const dir = await makeTempDir(prefix);
  const world: DrillWorld = {
    dir,
    hostRoot: join(dir, 'host'),
    stateDir: join(dir, 'state'),
    target: join(dir, 'target'),
    policy: join(dir, 'policy.yaml'),
    env: { ...process.env, LXC_BACKUP_SOCKET: join(dir, 'no-agent.sock') },
    remove: () => removeDir(dir),
  };
  await mkdir(world.hostRoot, { recursive: true });
  const secrets = join(dir, 'secrets.env');
  await writeFile(secrets, `PASSPHRASE=${DRILL_PASSPHRASE}\n`);
  await chmod(secrets, 0o600);
  const lines = ['version: 1', `host_root: ${world.hostRoot}`, `state_dir: ${world.stateDir}`, `secrets_file: ${secrets}`, 'defaults:'];
  lines.push(`  target: "file://${world.target}/{name}"`, defaults);
  await writeFile(world.policy, `${lines.join('\n')}\n`);
  return world;
}

// A container `name` whose rootfs holds `files` small files with distinct contents, plus `extra`.
export async function makeDrillContainer(
  world: DrillWorld,
  name: string,
  files: number,
  extra: Record<string, string | Buffer> = {},
): Promise<string> {
  const dir = join(world.hostRoot, name);
  await mkdir(join(dir, 'rootfs', 'etc'), { recursive: true });
  await writeFile(join(dir, 'config'), `lxc.uts.name = ${name}\n`);
  for (let i = 0; i < files; i++) await writeFile(join(dir, 'rootfs', 'etc', `file-${i}`), `${name} file ${i} ${'x'.repeat(i % 50)}\n`);
  for (const [path, content] of Object.entries(extra)) {
    await mkdir(join(dir, 'rootfs', path, '..'), { recursive: true });
    await writeFile(join(dir, 'rootfs', path), content);
  }
  return dir;
}

// `lxc-backup backup --direct NAME`; throws with the output when it fails.
export async function backupNow(world: DrillWorld, name: string): Promise<void> {
  const result = await runLxcBackup(['backup', '--direct', '--policy', world.policy, name], world.env);
  if (result.code !== 0) throw new Error(`backup of ${name} failed (${result.code}): ${result.err}`);
}

// `lxc-backup drill NAME --json` and its parsed result (undefined when it printed none).
export async function drillNow(world: DrillWorld, name: string, extra: string[] = []): Promise<CliResult & { result?: DrillResult }> {
  const run = await runLxcBackup(['drill', '--policy', world.policy, '--json', ...extra, name], world.env);
  const result = run.out.trim() ? (JSON.parse(run.out) as DrillResult) : undefined;
  return { ...run, ...(result ? { result } : {}) };
}

export { removeDir };
