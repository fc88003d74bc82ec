// The reproducible workload: container directories (`config` + `rootfs/`) whose rootfs is a
// copy of a cached debootstrapped Debian tree plus seeded generated files, and the fixed
// change pattern applied between a full and an incremental backup.
import { access, appendFile, mkdir, readdir, rename, rm, writeFile, open } from 'node:fs/promises';
import { join } from 'node:path';
import { createRandom, randomBytes, seedOf, textBytes } from './seeded.js';
import { timed } from './run.js';

// Which part of the base tree each container gets: all of it, or a smaller slice for --quick.
export type Profile = 'full' | 'quick';

const QUICK_PARTS = ['etc', 'usr/bin', 'usr/share/doc', 'usr/share/man', 'usr/share/zoneinfo'];
const BASE = 'bookworm-minbase';

// The cached Debian tree, built once with debootstrap (or, without network, a copy of /usr).
export async function ensureBaseRootfs(cacheDir: string, log: (line: string) => void): Promise<string> {
  const base = join(cacheDir, BASE);
  const marker = `${base}.complete`;
  if (await exists(marker)) return base;
  await mkdir(cacheDir, { recursive: true });
  const tmp = `${base}.tmp`;
  await rm(tmp, { recursive: true, force: true });
  log(`building the base rootfs with debootstrap into ${base} (once; a minute or two)`);
  try {
    await timed('debootstrap', ['--variant=minbase', 'bookworm', tmp, 'http://deb.debian.org/debian']);
  } catch (error) {
    log(`debootstrap failed (${(error as Error).message.split('\n')[0]}); using a copy of /usr/share and /usr/bin instead`);
    await rm(tmp, { recursive: true, force: true });
    for (const part of ['etc', 'usr/bin', 'usr/share']) {
      await mkdir(join(tmp, part, '..'), { recursive: true });
      await timed('cp', ['-a', `/${part}`, join(tmp, part)]);
    }
  }
  await rename(tmp, base);
  await writeFile(marker, `${new Date().toISOString()}\n`);
  return base;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

// Container names c00, c01, …
export function containerNames(count: number, prefix = 'c'): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(2, '0')}`);
}

// An LXC config like lxc-create writes, enough for discovery to read.
export function lxcConfig(hostRoot: string, name: string): string {
  return `lxc.uts.name = ${name}\nlxc.rootfs.path = dir:${join(hostRoot, name, 'rootfs')}\nlxc.arch = amd64\n`;
}

// Seeded files every container carries on top of the Debian tree (~5 MB: logs, data, blobs).
export async function writeGenerated(rootfs: string, name: string): Promise<void> {
  const random = createRandom(seedOf(`generated/${name}`));
  const dir = join(rootfs, 'srv', 'bench');
  await mkdir(dir, { recursive: true });
  for (let i = 0; i < 60; i++) await writeFile(join(dir, `log-${i}.txt`), textBytes(random, 8_192 + Math.floor(random() * 57_344)));
  for (let i = 0; i < 12; i++) await writeFile(join(dir, `data-${i}.bin`), randomBytes(random, 16_384 + Math.floor(random() * 245_760)));
  await writeFile(join(dir, 'blob.bin'), randomBytes(random, 1 << 20));
}

// Builds `count` containers under hostRoot from the base tree (replacing what is there).
export async function buildContainers(base: string, hostRoot: string, count: number, profile: Profile): Promise<string[]> {
  await rm(hostRoot, { recursive: true, force: true });
  await mkdir(hostRoot, { recursive: true });
  const names = containerNames(count);
  for (const name of names) {
    const rootfs = join(hostRoot, name, 'rootfs');
    await mkdir(rootfs, { recursive: true });
    await writeFile(join(hostRoot, name, 'config'), lxcConfig(hostRoot, name));
    if (profile === 'full') await timed('cp', ['-a', '--', `${base}/.`, rootfs]);
    else {
      for (const part of QUICK_PARTS) {
        await mkdir(join(rootfs, part, '..'), { recursive: true });
        await timed('cp', ['-a', '--', join(base, part), join(rootfs, part)]);
      }
    }
    await writeGenerated(rootfs, name);
  }
  return names;
}

// The fixed change pattern of step `step` in one container: rewrite 10 logs, append to
// 10 files under etc/, patch 64 KiB in the middle of the 1 MiB blob, add a 1 MiB new log
// and delete the previous step's. About 2.5 MB of change, like a day of a small service.
export async function applyChange(hostRoot: string, name: string, step: number): Promise<void> {
  const rootfs = join(hostRoot, name, 'rootfs');
  const random = createRandom(seedOf(`change/${name}/${step}`));
  const dir = join(rootfs, 'srv', 'bench');
  for (let i = 0; i < 10; i++) await writeFile(join(dir, `log-${(step * 10 + i) % 60}.txt`), textBytes(random, 32_768));
  const etcFiles = (await readdir(join(rootfs, 'etc'), { withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name)
    .sort()
    .slice(0, 10);
  for (const file of etcFiles) await appendFile(join(rootfs, 'etc', file), `# bench change ${step}\n`);
  const blob = await open(join(dir, 'blob.bin'), 'r+');
  try {
    await blob.write(randomBytes(random, 65_536), 0, 65_536, 512 * 1024);
  } finally {
    await blob.close();
  }
  const logDir = join(rootfs, 'var', 'log');
  await mkdir(logDir, { recursive: true });
  await rm(join(logDir, `bench-${step - 1}.log`), { force: true });
  await writeFile(join(logDir, `bench-${step}.log`), textBytes(random, 1 << 20));
}

// The tiny containers of the at-rest test: a config and a rootfs with a handful of files.
export async function buildTinyContainers(hostRoot: string, names: readonly string[]): Promise<void> {
  await rm(hostRoot, { recursive: true, force: true });
  for (const name of names) await writeTinyContainer(hostRoot, name);
}

// One tiny container; written under `dir` (defaults to hostRoot/name).
export async function writeTinyContainer(hostRoot: string, name: string, dir = join(hostRoot, name)): Promise<void> {
  const random = createRandom(seedOf(`tiny/${name}`));
  await mkdir(join(dir, 'rootfs', 'etc'), { recursive: true });
  await writeFile(join(dir, 'rootfs', 'etc', 'hostname'), `${name}\n`);
  await writeFile(join(dir, 'rootfs', 'etc', 'motd'), textBytes(random, 4_096));
  await writeFile(join(dir, 'config'), lxcConfig(hostRoot, name));
}
