// The restore-drill settings of one container (`verify`): how often a drill restores its newest
// backup into scratch and checks it, how much it samples, and whether it boots the result.
import * as z from 'zod';
import { DURATION_HINT, isDuration } from './duration.js';
import { durationValue } from './values.js';

// The fields, without defaults (a `containers` entry may leave any out).
export const verifyFields = {
  every: durationValue
    .nullable()
    .describe('run a restore drill this often (spread like backups, only when the queue is idle); null: never'),
  sample: z
    .number()
    .min(0)
    .max(100)
    .describe('percent of regular files each backup samples (hash and attributes) for drills; at least 200'),
  boot: z.boolean().describe('also boot the restored tree as a temporary container without network (through the host helper)'),
  max_age: z
    .string()
    .refine((value) => value === 'auto' || isDuration(value), { message: `expected "auto" or ${DURATION_HINT}` })
    .describe('a container without a successful drill younger than this is unverified; auto: 2 × every'),
  timeout: durationValue.describe('a drill running longer is stopped and fails'),
  key_file: z
    .string()
    .refine((value) => value.startsWith('/'), { message: 'expected an absolute path' })
    .nullable()
    .describe(
      'pubkey mode: a private key (exported, without passphrase) left on this host for scheduled drills; null: scheduled drills are off in pubkey mode',
    ),
};

// The built-in values.
export const DEFAULT_VERIFY = {
  every: '7D' as string | null,
  sample: 2,
  boot: false,
  max_age: 'auto',
  timeout: '6h',
  key_file: null as string | null,
};

// The `verify` object of the settings, each field with its default.
export const verifySettingsSchema = z
  .strictObject({
    every: verifyFields.every.default(DEFAULT_VERIFY.every),
    sample: verifyFields.sample.default(DEFAULT_VERIFY.sample),
    boot: verifyFields.boot.default(DEFAULT_VERIFY.boot),
    max_age: verifyFields.max_age.default(DEFAULT_VERIFY.max_age),
    timeout: verifyFields.timeout.default(DEFAULT_VERIFY.timeout),
    key_file: verifyFields.key_file.default(DEFAULT_VERIFY.key_file),
  })
  .prefault({});
