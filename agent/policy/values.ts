// Validators for the policy's value types. Each message says what was expected; the
// parser appends what was found (hiding secrets), so every error reads "expected …, got …".
import * as z from 'zod';
import { cronProblem } from '../schedule/cron.js';
import { DURATION_HINT, isDuration } from './duration.js';
import { isNamePattern } from './glob.js';
import { secretReferenceName } from './secrets.js';
import { targetProblem } from './target.js';

// A duration in duplicity's syntax.
export const durationValue = z
  .string()
  .refine(isDuration, { message: `expected ${DURATION_HINT}` })
  .meta({ pattern: '^(\\d+[smhDWMY])+$', description: DURATION_HINT });

// A cron expression (five fields, or @daily and friends), checked by the real cron parser.
export const cronValue = z
  .string()
  .superRefine((value, ctx) => {
    const problem = cronProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: `expected a cron expression like "0 3 * * *" (${problem})` });
  })
  .meta({ description: 'cron expression, e.g. "0 3 * * *" (minute hour day month weekday), in the agent\'s local time' });

// A `${NAME}` reference to the secrets file; a literal secret is refused.
export const secretValue = z
  .string()
  .refine((value) => secretReferenceName(value) !== undefined, {
    message: 'expected a secret reference like "${PASSPHRASE}" (put the value in the secrets file as PASSPHRASE=...)',
  })
  .meta({
    pattern: '^\\$\\{[A-Z_][A-Z0-9_]*\\}$',
    description: 'reference to a secret: "${NAME}", NAME defined in secrets_file or the environment',
  });

// A duplicity target URL with an optional `{name}` placeholder.
export const targetValue = z
  .string()
  .superRefine((value, ctx) => {
    const problem = targetProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .meta({
    description:
      'duplicity target: file:///path/{name}, sftp://user@host[:port]/path/{name}, s3:///bucket/{name}, boto3+s3://bucket/{name}, b2://keyid@bucket/{name}',
  });

// An absolute path.
export const absolutePath = z
  .string()
  .refine((value) => value.startsWith('/') && !value.split('/').includes('..'), { message: 'expected an absolute path without ".."' });

// An exclude pattern relative to the container directory (e.g. rootfs/tmp).
export const excludePattern = z
  .string()
  .refine((value) => value.length > 0 && !value.startsWith('/') && !value.split('/').includes('..') && !value.includes('\n'), {
    message: 'expected a pattern relative to the container directory, like rootfs/tmp (no leading "/", no "..")',
  });

// A container name or glob of names.
export const namePattern = z.string().refine(isNamePattern, {
  message: 'expected a container name or glob (letters, digits, . _ - and * ? [...])',
});

// A GnuPG key id or fingerprint (8, 16 or 40 hex digits).
export const gpgKeyId = z.string().refine((value) => /^(0x)?([0-9A-Fa-f]{8}|[0-9A-Fa-f]{16}|[0-9A-Fa-f]{40})$/.test(value), {
  message: 'expected a GnuPG key id or fingerprint (8, 16 or 40 hex digits)',
});
