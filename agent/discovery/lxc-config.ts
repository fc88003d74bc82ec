// Pure reading of an LXC container `config` file: only the keys the agent needs.

export interface LxcConfig {
  // `lxc.rootfs.path` (LXC 3+) or the legacy `lxc.rootfs`, exactly as written.
  rootfsPath?: string;
  // `lxc.uts.name` or the legacy `lxc.utsname`: the container's hostname.
  utsName?: string;
  // Every `lxc.idmap` / legacy `lxc.id_map` value in order (unprivileged containers); kept for restore.
  idmaps: string[];
}

// Parses `key = value` lines; comments and unknown keys are skipped, the last value of a key wins.
export function parseLxcConfig(text: string): LxcConfig {
  const config: LxcConfig = { idmaps: [] };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    if (key === 'lxc.rootfs.path' || key === 'lxc.rootfs') config.rootfsPath = value;
    else if (key === 'lxc.uts.name' || key === 'lxc.utsname') config.utsName = value;
    else if (key === 'lxc.idmap' || key === 'lxc.id_map') config.idmaps.push(value.replace(/\s+/g, ' '));
  }
  return config;
}
