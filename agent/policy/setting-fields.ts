// The field schemas of one container's settings, without defaults: `defaults` gives each
// its default (settings-schema.ts), a `containers` entry may leave any out.
import * as z from 'zod';
import { DURATION_HINT, isDuration } from './duration.js';
import { absolutePath, cronValue, durationValue, excludePattern, gpgKeyId, secretValue, targetValue } from './values.js';

const count = z.number().int().min(1);

// Retention: which chains a prune removes.
export const retentionFields = {
  older_than: durationValue
    .nullable()
    .describe('remove chains older than this (duplicity remove-older-than, always with --force); null: never'),
  keep_full: count.nullable().describe('keep only the newest N full chains (remove-all-but-n-full); null: off'),
  keep_incrementals_of_full: count
    .nullable()
    .describe('keep incrementals only of the newest N fulls (remove-all-inc-of-but-n-full); null: off'),
};

const encryptionSchema = z.discriminatedUnion('mode', [
  z.strictObject({
    mode: z.literal('symmetric'),
    passphrase: secretValue,
    stretching: z
      .enum(['auto', 'full'])
      .optional()
      .describe(
        "gpg's key stretching (S2K count) of the passphrase: full (default) always uses gpg's; auto uses the lowest count for a passphrase shaped like 32 random bytes in base64 (what scripts/provision generates), where stretching protects nothing",
      ),
  }),
  z.strictObject({
    mode: z.literal('pubkey'),
    encrypt_keys: z.array(gpgKeyId).min(1),
    sign_key: gpgKeyId.optional(),
    sign_passphrase: secretValue.optional(),
  }),
  z.strictObject({ mode: z.literal('none') }),
]);

// How gently duplicity runs: CPU niceness and I/O class.
export const priorityFields = {
  nice: z.number().int().min(0).max(19).describe('CPU niceness of duplicity (19 = lowest priority)'),
  io_class: z.enum(['idle', 'best-effort', 'none']).describe('ionice class (none: do not use ionice)'),
  io_level: z.number().int().min(0).max(7).describe('ionice level within best-effort (7 = lowest)'),
};

// Credentials for the target, given to duplicity in its environment.
export const credentialsSchema = z.strictObject({
  password: secretValue.optional().describe('SFTP password or B2 application key (given to duplicity as FTP_PASSWORD)'),
  aws_access_key_id: z.string().min(1).optional().describe('S3 access key id (AWS_ACCESS_KEY_ID)'),
  aws_secret_access_key: secretValue.optional().describe('S3 secret key (AWS_SECRET_ACCESS_KEY)'),
});

// S3 endpoint and region.
export const s3Schema = z.strictObject({
  endpoint_url: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe('S3-compatible endpoint, e.g. https://s3.eu-central-003.backblazeb2.com'),
  region: z.string().min(1).optional(),
});

// SFTP key and known hosts.
export const sftpSchema = z.strictObject({
  identity_file: absolutePath.optional().describe('private key for SFTP (inside the backup container)'),
  known_hosts_file: absolutePath.optional().describe('known_hosts file with the server key'),
});

// `auto` or a duration: how old the last successful backup may get before the container is stale.
const maxAgeValue = z
  .string()
  .refine((value) => value === 'auto' || isDuration(value), { message: `expected "auto" or ${DURATION_HINT}` })
  .meta({
    description:
      'a container without a successful backup younger than this is stale; auto: the longest gap between two scheduled runs plus the shortest (daily: 2D)',
  });

// Guest hooks (/etc/lxc-backup/pre-backup and post-backup inside the guest, run by the host helper).
export const hooksFields = {
  enabled: z.boolean().describe("run the guest's own /etc/lxc-backup/pre-backup and post-backup hooks when it has them"),
  timeout: durationValue.describe('a hook running longer is stopped and counts as failed'),
  on_failure: z
    .enum(['fail', 'warn'])
    .describe('fail: a failing pre-backup hook fails the job before any freeze; warn: recorded, backup goes on'),
};

// Every per-container setting; `defaults` fills each, `containers` entries may override any.
export const settingFields = {
  enabled: z.boolean(),
  target: targetValue,
  schedule: cronValue,
  full_every: durationValue.nullable().describe('start a new full chain when the last full is older (--full-if-older-than); null: never'),
  exclude: z.array(excludePattern).describe('patterns relative to the container directory; an override replaces the list'),
  encryption: encryptionSchema,
  compression: z.enum(['fast', 'default', 'best', 'none']),
  volsize: z.number().int().min(1).max(10_000).describe('duplicity volume size in MB'),
  timeout: durationValue.describe('a job running longer is stopped'),
  max_unchanged: durationValue.describe(
    'a scheduled backup of a container that has not changed skips duplicity, but at most this long after the last real backup',
  ),
  capture_timeout: durationValue.describe('the metadata capture before a backup (getfattr, find) fails after this'),
  credentials: credentialsSchema,
  s3: s3Schema,
  sftp: sftpSchema,
  max_age: maxAgeValue,
  target_retries: z
    .number()
    .int()
    .min(1)
    .max(10)
    .describe('attempts duplicity makes at each target operation before the job fails (--num-retries; 1 = no retry), 30 s apart'),
  consistency: z
    .enum(['live', 'freeze', 'snapshot', 'auto'])
    .describe('how a running guest is kept still while it is read (README "Consistent backups"); auto: snapshot, else freeze, else live'),
  max_freeze: durationValue.describe('the longest a guest is paused; past it the host helper thaws it and the backup counts as live'),
  target_probe_timeout: durationValue.describe(
    'before each job the agent checks the target answers (file: its directory is writable; sftp, s3, b2: a TCP connect) within this',
  ),
};
