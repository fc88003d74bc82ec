// A nested container that plays a fresh Debian 12 host for the quick-start test: a bookworm
// rootfs with git only, the machine's apt/npm settings and CA bundle, the repository mounted
// read-only to clone from, and the machine's network (lxc.net.0.type = none).
import { cp, mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { attach, lxcpath, mustRun, REPO } from './lxc.js';

// lxc-create's own cache for the nested host's inner lxc-create (trixie), kept across runs on
// this machine (about 300 MB); the host's bookworm rootfs is cached by lxc-create itself.
export const NESTED_CACHE = '/var/cache/lxc-backup-e2e/fresh-host-lxc';

// The settings a host of this machine's network needs to reach the same registries.
const COPIED = [
  '/etc/apt/sources.list',
  '/etc/apt/sources.list.d',
  '/etc/apt/apt.conf.d',
  '/etc/apt/auth.conf.d',
  '/etc/apt/trusted.gpg.d',
  '/etc/apt/keyrings',
  '/etc/ssl/certs/ca-certificates.crt',
  '/usr/local/share/ca-certificates',
  '/root/.npmrc',
  '/etc/npmrc',
  '/usr/etc/npmrc',
  '/etc/resolv.conf',
];

// Creates (not starts) the nested host NAME; returns its rootfs.
export async function createNestedHost(name: string, work: string): Promise<string> {
  const conf = join(work, `${name}.conf`);
  await mkdir(NESTED_CACHE, { recursive: true });
  await writeFile(
    conf,
    [
      // The machine's network namespace: the same registries, no bridge needed.
      'lxc.net.0.type = none',
      'lxc.include = /usr/share/lxc/config/nesting.conf',
      'lxc.apparmor.profile = unconfined',
      'lxc.mount.auto = proc:rw sys:rw cgroup:rw',
      `lxc.mount.entry = ${REPO} mnt/src none ro,bind,create=dir 0 0`,
      `lxc.mount.entry = ${NESTED_CACHE} var/cache/lxc none rw,bind,create=dir 0 0`,
      '',
    ].join('\n'),
  );
  await mustRun('lxc-create', ['-n', name, '-f', conf, '-t', 'debian', '--', '-r', 'bookworm', '--packages=git'], { timeoutMs: 900_000 });
  const rootfs = join(await lxcpath(), name, 'rootfs');
  for (const path of COPIED) {
    if (!existsSync(path)) continue;
    await mkdir(dirname(join(rootfs, path)), { recursive: true });
    await cp(path, join(rootfs, path), { recursive: true, dereference: true, force: true });
  }
  // With the machine's network namespace, the guest must not configure eth0 (dhclient) or
  // start lxc-net (a bridge and dnsmasq on the machine): only loopback, lxc-net masked, and
  // no service starts while packages install (the chroot convention, policy-rc.d exit 101).
  await writeFile(join(rootfs, 'etc/network/interfaces'), 'auto lo\niface lo inet loopback\n');
  await symlink('/dev/null', join(rootfs, 'etc/systemd/system/lxc-net.service'));
  await writeFile(join(rootfs, 'usr/sbin/policy-rc.d'), '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  return rootfs;
}

// Starts the nested host and waits until its systemd is up.
export async function startNestedHost(name: string): Promise<void> {
  await mustRun('lxc-start', ['-n', name]);
  await mustRun('lxc-wait', ['-n', name, '-s', 'RUNNING', '-t', '60']);
  for (let i = 0; i < 90; i += 1) {
    if ((await attach(name, ['test', '-S', '/run/systemd/private'])).exitCode === 0) return;
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`systemd did not come up in the nested host ${name} within 90 s`);
}

// Which of `commands` the nested host has on its PATH.
export async function commandsPresent(name: string, commands: string[]): Promise<string[]> {
  const present: string[] = [];
  for (const command of commands)
    if ((await attach(name, ['sh', '-c', 'command -v "$1"', 'sh', command])).exitCode === 0) present.push(command);
  return present;
}

// Files under a directory of the nested host's rootfs (empty when absent).
export async function listDir(path: string): Promise<string[]> {
  return readdir(path).catch(() => []);
}
