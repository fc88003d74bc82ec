// The lines of an LXC container config that give the container power on the host: they run
// host commands, mount host paths, keep capabilities, loosen confinement or open devices.
// scripts/restore compares these lines of a restored config with the ones recorded from the
// host's own config at backup time; lxc/restore-checks.sh (config_power_lines) applies the
// same rules in awk, and test/unit/engine/config-power.test.ts holds both to one table.

// Configs included from here are the distribution's own (root-owned, not from any guest).
const DISTRIBUTION_CONFIG_DIR = '/usr/share/lxc/config/';

// Keys (current and legacy spellings) matched by prefix.
const POWER_PREFIXES = [
  'lxc.hook.',
  'lxc.mount.',
  'lxc.cap.',
  'lxc.apparmor.',
  'lxc.seccomp.',
  'lxc.selinux.',
  'lxc.cgroup.devices.',
  'lxc.cgroup2.devices.',
  'lxc.prlimit.',
  'lxc.limit.',
  'lxc.namespace.',
];

// Keys matched exactly: legacy forms, and keys that make LXC write a host path as root.
const POWER_KEYS = new Set([
  'lxc.hook',
  'lxc.mount',
  'lxc.idmap',
  'lxc.id_map',
  'lxc.aa_profile',
  'lxc.aa_allow_incomplete',
  'lxc.seccomp',
  'lxc.se_context',
  'lxc.environment',
  'lxc.log.file',
  'lxc.console.logfile',
  'lxc.console.path',
]);

// lxc.net.N.script.up/down (and the legacy lxc.network forms) run host commands.
const NET_SCRIPT = /^lxc\.net(work)?\.([0-9]+\.)?script\./;

// POSIX [:space:] in the C locale, which is what awk trims: never \s (it also matches
// Unicode spaces, and the two sides would disagree).
const SPACE = '[ \\t\\n\\v\\f\\r]';
const LEADING = new RegExp(`^${SPACE}+`);
const TRAILING = new RegExp(`${SPACE}+$`);

// Whether an lxc.include path stays inside the distribution's config directory.
export function isDistributionInclude(path: string): boolean {
  if (!path.startsWith(DISTRIBUTION_CONFIG_DIR)) return false;
  return !path.split('/').some((part) => part === '..' || part === '.');
}

// Whether `key = value` gives power on the host.
function isPowerLine(key: string, value: string): boolean {
  if (key === 'lxc.include') return !isDistributionInclude(value);
  if (POWER_KEYS.has(key) || NET_SCRIPT.test(key)) return true;
  return POWER_PREFIXES.some((prefix) => key.startsWith(prefix));
}

// The power lines of a config text, in order, each as `key = value` (key and value trimmed).
// Comments, blank lines and lines without `=` are skipped, as LXC skips them.
export function extractPowerLines(text: string): string[] {
  const lines: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(LEADING, '');
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq).replace(TRAILING, '');
    const value = line
      .slice(eq + 1)
      .replace(LEADING, '')
      .replace(TRAILING, '');
    if (isPowerLine(key, value)) lines.push(`${key} = ${value}`);
  }
  return lines;
}
