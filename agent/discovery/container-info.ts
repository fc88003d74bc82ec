// What the agent knows about one container on disk.
import { join } from 'node:path';
import { parseLxcConfig } from './lxc-config.js';
import { classifyRootfs } from './rootfs.js';

export interface ContainerInfo {
  name: string;
  // The container directory under host_root (holds `config` and usually `rootfs`).
  dir: string;
  utsName?: string;
  idmaps: string[];
  // The rootfs directory when it can be backed up.
  rootfs?: string;
  // Why the container cannot be backed up (reported as `unsupported`).
  unsupported?: string;
}

// Describes a container from its config text (pure).
export function describeContainer(name: string, hostRoot: string, configText: string): ContainerInfo {
  const dir = join(hostRoot, name);
  const config = parseLxcConfig(configText);
  const place = classifyRootfs(config.rootfsPath, name, dir, hostRoot);
  return {
    name,
    dir,
    ...(config.utsName ? { utsName: config.utsName } : {}),
    idmaps: config.idmaps,
    ...(place.supported ? { rootfs: place.path } : { unsupported: place.reason }),
  };
}

// A container that is there but cannot be backed up, with the reason (reported as `unsupported`).
export function unsupportedContainer(name: string, hostRoot: string, reason: string): ContainerInfo {
  return { name, dir: join(hostRoot, name), idmaps: [], unsupported: reason };
}

// Whether this container is the one the agent runs in: it must never back itself up.
export function isBackupContainer(info: ContainerInfo, hostname: string): boolean {
  const short = hostname.split('.')[0] ?? hostname;
  return info.name === hostname || info.name === short || info.utsName === hostname || info.utsName === short;
}
