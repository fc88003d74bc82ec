// Built-in values for every setting the policy may leave out.
import { HELPER_SOCKET_IN_CONTAINER } from '../core/helper-protocol.js';

// What no restore needs (temporary, virtual and mount-point contents, caches), relative to the
// container directory. `/**` excludes what a directory holds but keeps the directory itself, so a restored
// container still has its /tmp (mode 1777), /proc and /run mount points.
const DEFAULT_EXCLUDES = [
  'rootfs/tmp/**',
  'rootfs/proc/**',
  'rootfs/run/**',
  'rootfs/mnt/**',
  'rootfs/media/**',
  'rootfs/root/.cache/duplicity/**',
  'rootfs/var/cache/apt/**',
];

export const DEFAULT_SETTINGS = {
  enabled: true,
  target: 'file:///var/backups/lxc/{name}',
  schedule: '0 3 * * *',
  full_every: '30D' as string | null,
  retention: { older_than: '2M' as string | null, keep_full: null as number | null, keep_incrementals_of_full: null as number | null },
  exclude: DEFAULT_EXCLUDES,
  encryption: { mode: 'symmetric' as const, passphrase: '${PASSPHRASE}' },
  compression: 'fast' as const,
  volsize: 200,
  timeout: '12h',
  capture_timeout: '30m',
  // A real incremental at least weekly, even of a container that never changes: it proves the
  // target still takes backups and keeps the chain's newest set recent.
  max_unchanged: '7D',
  priority: { nice: 19, io_class: 'best-effort' as const, io_level: 7 },
  // duplicity's own default is 5 attempts 30 s apart, 2 min of a slot per dead target; the
  // agent probes first (target_probe_timeout) and parks the job instead of retrying inside it.
  target_retries: 2,
  target_probe_timeout: '10s',
  consistency: 'auto' as 'live' | 'freeze' | 'snapshot' | 'auto',
  max_freeze: '30s',
  hooks: { enabled: true, timeout: '5m', on_failure: 'fail' as 'fail' | 'warn' },
};

export const DEFAULT_TOP = {
  host_root: '/mnt/lxc',
  state_dir: '/var/lib/lxc-backup',
  secrets_file: '/etc/lxc-backup/secrets.env',
  concurrency: 'auto' as number | 'auto',
  new_containers: { settle: '2m', first_backup: 'immediate' as const },
  removed_containers: { prune: true },
  target_recheck: { every: '15m', max: '2h' },
  host_helper: HELPER_SOCKET_IN_CONTAINER,
};
