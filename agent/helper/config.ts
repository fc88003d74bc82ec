// The helper's configuration: a small JSON file (provision writes /etc/lxc-backup/helper.json)
// overridden by command-line flags (tests). Everything has a default but the backup container's name.
import { readFileSync } from 'node:fs';
import * as z from 'zod';
import { HELPER_SOCKET_ON_HOST } from '../core/helper-protocol.js';

const absolute = z.string().regex(/^\/[^\0]*$/, 'an absolute path');
const seconds = z.number().positive().max(3600);

// The configuration keys, their types and defaults.
export const helperConfigSchema = z
  .object({
    // Where to listen when systemd hands over no socket.
    socket: absolute.default(HELPER_SOCKET_ON_HOST),
    // The host's container store, the only place whose containers the helper acts on.
    lxcpath: absolute.default('/var/lib/lxc'),
    // The backup container: never acted on, whatever it asks.
    backup_container: z.string().min(1),
    // Upper bound of every pause, whatever a request asks.
    max_freeze_s: seconds.default(30),
    // Upper bound of a guest hook's run time.
    hook_max_s: seconds.default(600),
    // How much of a hook's output comes back (its tail).
    hook_output_bytes: z.number().int().min(256).max(65536).default(4096),
    // boot-test: restored trees must lie under this directory.
    restore_root: absolute.default('/var/lib/lxc-backup-restore'),
    // boot-test: the host uid/gid that root of the (unprivileged) boot-test container is;
    // 65536 ids from there on are its.
    boot_idmap_base: z.number().int().min(65536).max(4_000_000_000).default(1_000_000_000),
    // boot-test: a non-systemd init must stay alive this long to pass.
    boot_settle_s: seconds.default(5),
    // Records of what is held (freezes, snapshots, boot tests): not under the socket's
    // directory, which the backup container sees, and on disk, since a ZFS or LVM snapshot
    // outlives a reboot.
    state_dir: absolute.default('/var/lib/lxc-backup-helper'),
    // Upper bound of any other command (lxc-info, btrfs, lxc-stop).
    command_max_s: seconds.default(60),
  })
  .strict();
// The helper's configuration.
export type HelperConfig = z.infer<typeof helperConfigSchema>;

// Flags and the keys they set; numbers are parsed as such.
const FLAGS: Record<string, keyof HelperConfig> = {
  '--socket': 'socket',
  '--lxcpath': 'lxcpath',
  '--backup-container': 'backup_container',
  '--max-freeze': 'max_freeze_s',
  '--hook-max': 'hook_max_s',
  '--restore-root': 'restore_root',
  '--boot-settle': 'boot_settle_s',
  '--state-dir': 'state_dir',
};
const NUMERIC = new Set<keyof HelperConfig>([
  'boot_idmap_base',
  'max_freeze_s',
  'hook_max_s',
  'boot_settle_s',
  'command_max_s',
  'hook_output_bytes',
]);

// The configuration from `argv` (flags, and `--config FILE` for the JSON file); throws a message
// that says which flag or key is wrong.
export function parseHelperConfig(argv: readonly string[], readFile: (path: string) => string = readText): HelperConfig {
  let fromFile: Record<string, unknown> = {};
  const fromFlags: Record<string, unknown> = {};
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i] ?? '';
    const value = argv[i + 1];
    if (value === undefined) throw new Error(`lxc-backup-helper: ${flag} needs a value`);
    if (flag === '--config') {
      fromFile = parseJsonObject(value, readFile(value));
      continue;
    }
    const key = FLAGS[flag];
    if (!key) throw new Error(`lxc-backup-helper: unknown option ${flag} (expected --config or ${Object.keys(FLAGS).join(', ')})`);
    fromFlags[key] = NUMERIC.has(key) ? Number(value) : value;
  }
  const parsed = helperConfigSchema.safeParse({ ...fromFile, ...fromFlags });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`lxc-backup-helper: config key ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

function parseJsonObject(path: string, text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`lxc-backup-helper: ${path}: expected JSON, found something else`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error(`lxc-backup-helper: ${path}: expected a JSON object`);
  return value as Record<string, unknown>;
}

function readText(path: string): string {
  return readFileSync(path, 'utf8');
}
