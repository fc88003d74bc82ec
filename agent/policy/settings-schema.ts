// One container's settings with their defaults (the `defaults` section), and what a
// `containers` entry may override.
import * as z from 'zod';
import { DEFAULT_SETTINGS } from './defaults.js';
import { notifyFields } from './notify-fields.js';
import { credentialsSchema, hooksFields, priorityFields, retentionFields, s3Schema, settingFields, sftpSchema } from './setting-fields.js';
import { verifyFields, verifySettingsSchema } from './verify-fields.js';

// Every per-container setting, each with its default.
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
  max_unchanged: settingFields.max_unchanged.default(DEFAULT_SETTINGS.max_unchanged),
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
  consistency: settingFields.consistency.default(DEFAULT_SETTINGS.consistency),
  max_freeze: settingFields.max_freeze.default(DEFAULT_SETTINGS.max_freeze),
  hooks: z
    .strictObject({
      enabled: hooksFields.enabled.default(DEFAULT_SETTINGS.hooks.enabled),
      timeout: hooksFields.timeout.default(DEFAULT_SETTINGS.hooks.timeout),
      on_failure: hooksFields.on_failure.default(DEFAULT_SETTINGS.hooks.on_failure),
    })
    .prefault({}),
  notify: z
    .strictObject({
      ping: notifyFields.ping.prefault({}),
      webhook: notifyFields.webhook.default(null),
      ntfy: notifyFields.ntfy.default(null),
      timeout: notifyFields.timeout.default('10s'),
      retries: notifyFields.retries.default(2),
    })
    .prefault({}),
  verify: verifySettingsSchema,
});

// What a `containers` entry may say: any setting, nested objects merged key by key.
export const overrideSchema = z.strictObject({
  ...Object.fromEntries(Object.entries(settingFields).map(([key, field]) => [key, field.optional()])),
  retention: z.strictObject(retentionFields).partial().optional(),
  priority: z.strictObject(priorityFields).partial().optional(),
  notify: z.strictObject(notifyFields).partial().optional(),
  hooks: z.strictObject(hooksFields).partial().optional(),
  verify: z.strictObject(verifyFields).partial().optional(),
  credentials: credentialsSchema.optional(),
  s3: s3Schema.optional(),
  sftp: sftpSchema.optional(),
} as { [K in keyof typeof settingFields]: z.ZodOptional<(typeof settingFields)[K]> } & {
  retention: z.ZodOptional<z.ZodObject<{ [K in keyof typeof retentionFields]: z.ZodOptional<(typeof retentionFields)[K]> }>>;
  priority: z.ZodOptional<z.ZodObject<{ [K in keyof typeof priorityFields]: z.ZodOptional<(typeof priorityFields)[K]> }>>;
  notify: z.ZodOptional<z.ZodObject<{ [K in keyof typeof notifyFields]: z.ZodOptional<(typeof notifyFields)[K]> }>>;
  hooks: z.ZodOptional<z.ZodObject<{ [K in keyof typeof hooksFields]: z.ZodOptional<(typeof hooksFields)[K]> }>>;
  verify: z.ZodOptional<z.ZodObject<{ [K in keyof typeof verifyFields]: z.ZodOptional<(typeof verifyFields)[K]> }>>;
});
