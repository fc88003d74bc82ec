// The policy schema: the single source of the policy's validation, TypeScript types and
// the generated templates/policy.schema.json.
import * as z from 'zod';
import { DURATION_HINT, isDuration } from './duration.js';
import { DEFAULT_SETTINGS, DEFAULT_TOP } from './defaults.js';
import { absolutePath, cronValue, durationValue, excludePattern, gpgKeyId, namePattern, secretValue, targetValue } from './values.js';
import { urlTemplateProblem } from './url-template.js';

const count = z.number().int().min(1);

const retentionFields = {
  older_than: durationValue
    .nullable()
    .describe('remove chains older than this (duplicity remove-older-than, always with --force); null: never'),
  keep_full: count.nullable().describe('keep only the newest N full chains (remove-all-but-n-full); null: off'),
  keep_incrementals_of_full: count
    .nullable()
    .describe('keep incrementals only of the newest N fulls (remove-all-inc-of-but-n-full); null: off'),
};

const encryptionSchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('symmetric'), passphrase: secretValue }),
  z.strictObject({
    mode: z.literal('pubkey'),
    encrypt_keys: z.array(gpgKeyId).min(1),
    sign_key: gpgKeyId.optional(),
    sign_passphrase: secretValue.optional(),
  }),
  z.strictObject({ mode: z.literal('none') }),
]);

const priorityFields = {
  nice: z.number().int().min(0).max(19).describe('CPU niceness of duplicity (19 = lowest priority)'),
  io_class: z.enum(['idle', 'best-effort', 'none']).describe('ionice class (none: do not use ionice)'),
  io_level: z.number().int().min(0).max(7).describe('ionice level within best-effort (7 = lowest)'),
};

const credentialsSchema = z.strictObject({
  password: secretValue.optional().describe('SFTP password or B2 application key (given to duplicity as FTP_PASSWORD)'),
  aws_access_key_id: z.string().min(1).optional().describe('S3 access key id (AWS_ACCESS_KEY_ID)'),
  aws_secret_access_key: secretValue.optional().describe('S3 secret key (AWS_SECRET_ACCESS_KEY)'),
});

const s3Schema = z.strictObject({
  endpoint_url: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe('S3-compatible endpoint, e.g. https://s3.eu-central-003.backblazeb2.com'),
  region: z.string().min(1).optional(),
});

const sftpSchema = z.strictObject({
  identity_file: absolutePath.optional().describe('private key for SFTP (inside the backup container)'),
  known_hosts_file: absolutePath.optional().describe('known_hosts file with the server key'),
});

// A notification URL: http(s), with `{name}` and `${NAME}` secret references anywhere in it.
const notifyUrl = z
  .string()
  .superRefine((value, ctx) => {
    const problem = urlTemplateProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .meta({ description: 'http(s) URL; {name} = container, ${NAME} = secret from secrets_file (expanded only when sending)' });

const pingSchema = z.strictObject({
  start: notifyUrl.optional().describe('pinged when a backup starts'),
  success: notifyUrl.optional().describe('pinged when a backup succeeds'),
  fail: notifyUrl.optional().describe('pinged with the reason in the body when a backup fails or the container becomes stale'),
});

const notifyFields = {
  ping: pingSchema.describe('healthchecks.io / Uptime Kuma push style URLs'),
  webhook: notifyUrl
    .nullable()
    .describe('receives a JSON POST for every job start and end: event, container, action, outcome, duration, bytes, error, host'),
  ntfy: notifyUrl
    .nullable()
    .describe('ntfy topic URL, e.g. https://ntfy.sh/my-backups: success (low priority) and failure (high priority)'),
  timeout: durationValue.describe('one delivery attempt gives up after this'),
  retries: z.number().int().min(0).max(5).describe('further attempts after a failed delivery'),
};

// `auto` or a duration: how old the last successful backup may get before the container is stale.
const maxAgeValue = z
  .string()
  .refine((value) => value === 'auto' || isDuration(value), { message: `expected "auto" or ${DURATION_HINT}` })
  .meta({
    description:
      'a container without a successful backup younger than this is stale; auto: the longest gap between two scheduled runs plus the shortest (daily: 2D)',
  });

// `PORT` or `HOST:PORT`; the endpoint serves /metrics over plain HTTP, so loopback is the default host.
const listenValue = z
  .union([z.number(), z.string()])
  .superRefine((value, ctx) => {
    const port = typeof value === 'number' ? value : Number(/^(?:[\w.-]+|\[[0-9a-fA-F:]+\]):(\d+)$/.exec(value)?.[1]);
    if (!Number.isInteger(port) || port < 1 || port > 65_535)
      ctx.addIssue({ code: 'custom', message: 'expected a port (9105) or HOST:PORT (127.0.0.1:9105)' });
  })
  .meta({ description: 'serve Prometheus metrics on http://HOST:PORT/metrics; a bare port listens on 127.0.0.1' });

// Every per-container setting; `defaults` fills each, `containers` entries may override any.
const settingFields = {
  enabled: z.boolean(),
  target: targetValue,
  schedule: cronValue,
  full_every: durationValue.nullable().describe('start a new full chain when the last full is older (--full-if-older-than); null: never'),
  exclude: z.array(excludePattern).describe('patterns relative to the container directory; an override replaces the list'),
  encryption: encryptionSchema,
  compression: z.enum(['fast', 'default', 'best', 'none']),
  volsize: z.number().int().min(1).max(10_000).describe('duplicity volume size in MB'),
  timeout: durationValue.describe('a job running longer is stopped'),
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
  target_probe_timeout: durationValue.describe(
    'before each job the agent checks the target answers (file: its directory is writable; sftp, s3, b2: a TCP connect) within this',
  ),
};

export const settingsSchema = z.strictObject({
  enabled: settingFields.enabled.default(DEFAULT_SETTINGS.enabled),
  target: settingFields.target.default(DEFAULT_SETTINGS.target),
  schedule: settingFields.schedule.default(DEFAULT_SETTINGS.schedule),
  full_every: settingFields.full_every.default(DEFAULT_SETTINGS.full_every),
  retention: z
    .strictObject({
      older_than: retentionFields.older_than.default(DEFAULT_SETTINGS.retention.older_than),
      keep_full: retentionFields.keep_full.default(null),
      keep_incrementals_of_full: retentionFields.keep_incrementals_of_full.default(null),
    })
    .prefault({}),
  exclude: settingFields.exclude.default(DEFAULT_SETTINGS.exclude),
  encryption: settingFields.encryption.default(DEFAULT_SETTINGS.encryption),
  compression: settingFields.compression.default(DEFAULT_SETTINGS.compression),
  volsize: settingFields.volsize.default(DEFAULT_SETTINGS.volsize),
  timeout: settingFields.timeout.default(DEFAULT_SETTINGS.timeout),
  capture_timeout: settingFields.capture_timeout.default(DEFAULT_SETTINGS.capture_timeout),
  priority: z
    .strictObject({
      nice: priorityFields.nice.default(DEFAULT_SETTINGS.priority.nice),
      io_class: priorityFields.io_class.default(DEFAULT_SETTINGS.priority.io_class),
      io_level: priorityFields.io_level.default(DEFAULT_SETTINGS.priority.io_level),
    })
    .prefault({}),
  credentials: settingFields.credentials.prefault({}),
  s3: settingFields.s3.prefault({}),
  sftp: settingFields.sftp.prefault({}),
  max_age: settingFields.max_age.default('auto'),
  target_retries: settingFields.target_retries.default(DEFAULT_SETTINGS.target_retries),
  target_probe_timeout: settingFields.target_probe_timeout.default(DEFAULT_SETTINGS.target_probe_timeout),
  notify: z
    .strictObject({
      ping: notifyFields.ping.prefault({}),
      webhook: notifyFields.webhook.default(null),
      ntfy: notifyFields.ntfy.default(null),
      timeout: notifyFields.timeout.default('10s'),
      retries: notifyFields.retries.default(2),
    })
    .prefault({}),
});

// What a `containers` entry may say: any setting, nested objects merged key by key.
export const overrideSchema = z.strictObject({
  ...Object.fromEntries(Object.entries(settingFields).map(([key, field]) => [key, field.optional()])),
  retention: z.strictObject(retentionFields).partial().optional(),
  priority: z.strictObject(priorityFields).partial().optional(),
  notify: z.strictObject(notifyFields).partial().optional(),
  credentials: credentialsSchema.optional(),
  s3: s3Schema.optional(),
  sftp: sftpSchema.optional(),
} as { [K in keyof typeof settingFields]: z.ZodOptional<(typeof settingFields)[K]> } & {
  retention: z.ZodOptional<z.ZodObject<{ [K in keyof typeof retentionFields]: z.ZodOptional<(typeof retentionFields)[K]> }>>;
  priority: z.ZodOptional<z.ZodObject<{ [K in keyof typeof priorityFields]: z.ZodOptional<(typeof priorityFields)[K]> }>>;
  notify: z.ZodOptional<z.ZodObject<{ [K in keyof typeof notifyFields]: z.ZodOptional<(typeof notifyFields)[K]> }>>;
});

export const policySchema = z.strictObject({
  $schema: z.string().optional().describe('editor hint, ignored'),
  version: z.literal(1),
  host_root: absolutePath.default(DEFAULT_TOP.host_root).describe("where the host's container store is mounted (read-only)"),
  state_dir: absolutePath.default(DEFAULT_TOP.state_dir),
  secrets_file: absolutePath.default(DEFAULT_TOP.secrets_file).describe('KEY=value lines, mode 0600, referenced as ${KEY}'),
  concurrency: z.number().int().min(1).max(32).default(DEFAULT_TOP.concurrency).describe('backups running at once'),
  defaults: settingsSchema.prefault({}),
  containers: z.record(namePattern, overrideSchema).default({}).describe('overrides by exact name or glob; see README for precedence'),
  ignore: z.array(namePattern).default([]).describe('containers never backed up or reported'),
  new_containers: z
    .strictObject({
      settle: durationValue
        .default(DEFAULT_TOP.new_containers.settle)
        .describe('wait this long after a container appears before backing it up'),
      first_backup: z.enum(['immediate', 'next_slot']).default(DEFAULT_TOP.new_containers.first_backup),
    })
    .prefault({}),
  removed_containers: z
    .strictObject({
      prune: z
        .boolean()
        .default(DEFAULT_TOP.removed_containers.prune)
        .describe('keep applying retention to removed containers (the last chain is always kept)'),
    })
    .prefault({}),
  target_recheck: z
    .strictObject({
      every: durationValue
        .default(DEFAULT_TOP.target_recheck.every)
        .describe("a down target's jobs wait; after the job's retries it is probed this often, doubling each time"),
      max: durationValue.default(DEFAULT_TOP.target_recheck.max).describe('the longest wait between two probes of a down target'),
    })
    .prefault({})
    .describe('jobs whose target does not answer wait without holding a slot, and run as soon as a probe gets an answer'),
  metrics: z
    .strictObject({
      listen: listenValue.nullable().default(null),
      textfile: absolutePath
        .nullable()
        .default(null)
        .describe('node-exporter textfile to rewrite (atomically), e.g. /var/lib/prometheus/node-exporter/lxc-backup.prom'),
    })
    .prefault({})
    .describe('Prometheus metrics; both off by default (applied at agent start)'),
});

// The policy as written in YAML (everything optional that has a default).
export type PolicyFile = z.input<typeof policySchema>;
// The policy after defaults are applied.
export type Policy = z.output<typeof policySchema>;
// Every setting for one container, after defaults.
export type Settings = z.output<typeof settingsSchema>;
// One `containers` entry.
export type Override = z.output<typeof overrideSchema>;
export type Encryption = Settings['encryption'];
