// The two ways of backing up the same host root: the blog post's shell loop (one duplicity
// per container, in sequence, default options, then remove-older-than) and lxc-backup with
// the shipped default policy (paths adjusted, plus the named overrides).
import { execa } from 'execa';
import { access, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { timed } from './run.js';

// The passphrase of every bench backup (bench data only), of the shape scripts/provision
// generates (32 random bytes in base64), as users run it: the shipped policy's `stretching:
// auto` depends on it. Fixed, so every run measures the same thing.
export const BENCH_PASSPHRASE = 'q3V8Lk0tR2mZf9Yx1bWc7NpJ4hGd6sEaTu5iOvHyQw8=';

// The blog post's exclude-backup.txt, verbatim.
export const BLOG_EXCLUDES = [
  '**/rootfs/tmp',
  '**/rootfs/proc',
  '**/rootfs/run',
  '**/rootfs/mnt',
  '**/rootfs/media',
  '**/rootfs/root/.cache/duplicity',
  '**/rootfs/var/cache/apt',
];

// The shell loop's files: its HOME (duplicity's cache and GnuPG home) and its target root.
export interface Loop {
  home: string;
  target: string;
  excludeFile: string;
}

// Prepares an empty loop under `dir`.
export async function prepareLoop(dir: string): Promise<Loop> {
  await stopGpgAgent(join(dir, 'home', '.gnupg'));
  await rm(dir, { recursive: true, force: true });
  const loop = { home: join(dir, 'home'), target: join(dir, 'target'), excludeFile: join(dir, 'exclude-backup.txt') };
  await mkdir(loop.home, { recursive: true, mode: 0o700 });
  await mkdir(loop.target, { recursive: true });
  await writeFile(loop.excludeFile, BLOG_EXCLUDES.map((line) => `${line}\n`).join(''));
  return loop;
}

// The loop's environment: the passphrase and its own HOME, so its cache starts like the blog's.
export function loopEnv(loop: Loop): Record<string, string> {
  return { PASSPHRASE: BENCH_PASSPHRASE, HOME: loop.home, XDG_CACHE_HOME: join(loop.home, '.cache'), LC_ALL: 'C.UTF-8' };
}

// One pass of the loop over `names` (in sequence); seconds.
export async function runLoop(loop: Loop, hostRoot: string, names: readonly string[]): Promise<number> {
  const started = process.hrtime.bigint();
  const env = loopEnv(loop);
  for (const name of names) {
    const url = `file://${join(loop.target, name)}/`;
    await timed('duplicity', ['--exclude-filelist', loop.excludeFile, name, url, '--full-if-older-than', '30D', '--numeric-owner'], {
      cwd: hostRoot,
      env,
    });
    await timed('duplicity', ['remove-older-than', '2M', '--force', url], { cwd: hostRoot, env });
  }
  return Number(process.hrtime.bigint() - started) / 1e9;
}

// Policy fields a scenario changes on top of the shipped default.
export interface PolicyOverrides {
  concurrency?: number;
  compression?: 'fast' | 'default' | 'best' | 'none';
  firstBackup?: 'immediate' | 'next_slot';
  settle?: string;
  // duplicity's CPU and I/O priority (the shipped default is nice 19, ionice best-effort 7).
  priority?: { nice: number; io_class: 'idle' | 'best-effort' | 'none' };
  // gpg's key stretching of the passphrase (the shipped policy: auto).
  stretching?: 'auto' | 'full';
}

// One lxc-backup setup: policy file, state and target roots.
export interface Product {
  dir: string;
  policy: string;
  state: string;
  target: string;
}

// Writes templates/policy.yaml with only paths (and `overrides`) changed, into an empty `dir`.
export async function prepareProduct(repo: string, dir: string, hostRoot: string, overrides: PolicyOverrides = {}): Promise<Product> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const product = { dir, policy: join(dir, 'policy.yaml'), state: join(dir, 'state'), target: join(dir, 'target') };
  const doc = parseDocument(await readFile(join(repo, 'templates', 'policy.yaml'), 'utf8'));
  const secrets = join(dir, 'secrets.env');
  doc.set('host_root', hostRoot);
  doc.set('state_dir', product.state);
  doc.set('secrets_file', secrets);
  doc.setIn(['defaults', 'target'], `file://${product.target}/{name}`);
  if (overrides.concurrency !== undefined) doc.set('concurrency', overrides.concurrency);
  if (overrides.compression) doc.setIn(['defaults', 'compression'], overrides.compression);
  if (overrides.firstBackup) doc.setIn(['new_containers', 'first_backup'], overrides.firstBackup);
  if (overrides.settle) doc.setIn(['new_containers', 'settle'], overrides.settle);
  if (overrides.priority) doc.setIn(['defaults', 'priority'], doc.createNode(overrides.priority));
  if (overrides.stretching) doc.setIn(['defaults', 'encryption', 'stretching'], overrides.stretching);
  await writeFile(product.policy, doc.toString());
  await writeFile(secrets, `PASSPHRASE=${BENCH_PASSPHRASE}\n`, { mode: 0o600 });
  return product;
}

// Stops the gpg-agent duplicity's gpg left running for a GnuPG home (one per home, and it
// outlives its directory otherwise).
export async function stopGpgAgent(gnupgHome: string): Promise<void> {
  if (
    await access(gnupgHome).then(
      () => true,
      () => false,
    )
  ) {
    await execa('gpgconf', ['--homedir', gnupgHome, '--kill', 'gpg-agent'], { reject: false, stdin: 'ignore' });
  }
}

// Forgets every backup of a product (target and state), keeping its policy.
export async function resetProduct(product: Product): Promise<void> {
  await stopGpgAgent(join(product.state, 'gnupg'));
  await rm(product.state, { recursive: true, force: true });
  await rm(product.target, { recursive: true, force: true });
}

// `lxc-backup backup --all --direct`: every container, then retention; seconds.
export async function runProduct(repo: string, product: Product, env: Record<string, string> = {}): Promise<number> {
  const result = await timed('node', [join(repo, 'dist', 'lxc-backup.mjs'), 'backup', '--all', '--policy', product.policy, '--direct'], {
    env,
  });
  return result.seconds;
}
