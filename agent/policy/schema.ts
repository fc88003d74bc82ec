// The policy schema: the single source of the policy's validation, TypeScript types and
// the generated templates/policy.schema.json. One container's settings are in settings-schema.ts.
import * as z from 'zod';
import { DEFAULT_TOP } from './defaults.js';
import { overrideSchema, settingsSchema } from './settings-schema.js';
import { absolutePath, durationValue, namePattern } from './values.js';

// `PORT` or `HOST:PORT`; the endpoint serves /metrics over plain HTTP, so loopback is the default host.
const listenValue = z
  .union([z.number(), z.string()])
  .superRefine((value, ctx) => {
    const port = typeof value === 'number' ? value : Number(/^(?:[\w.-]+|\[[0-9a-fA-F:]+\]):(\d+)$/.exec(value)?.[1]);
    if (!Number.isInteger(port) || port < 1 || port > 65_535)
      ctx.addIssue({ code: 'custom', message: 'expected a port (9105) or HOST:PORT (127.0.0.1:9105)' });
  })
  .meta({ description: 'serve Prometheus metrics on http://HOST:PORT/metrics; a bare port listens on 127.0.0.1' });

// The whole policy file.
export const policySchema = z.strictObject({
  $schema: z.string().optional().describe('editor hint, ignored'),
  version: z.literal(1),
  host_root: absolutePath.default(DEFAULT_TOP.host_root).describe("where the host's container store is mounted (read-only)"),
  state_dir: absolutePath.default(DEFAULT_TOP.state_dir),
  host_helper: absolutePath
    .default(DEFAULT_TOP.host_helper)
    .describe("the host helper's socket (freeze, snapshot, guest hooks); when nothing answers there, backups run live"),
  secrets_file: absolutePath.default(DEFAULT_TOP.secrets_file).describe('KEY=value lines, mode 0600, referenced as ${KEY}'),
  concurrency: z
    .union([z.literal('auto'), z.number().int().min(1).max(32)], { error: 'expected auto or a whole number from 1 to 32' })
    .default(DEFAULT_TOP.concurrency)
    .describe('backups running at once; auto: one per core, at most 4'),
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

// The policy after defaults are applied.
export type Policy = z.output<typeof policySchema>;
// Every setting for one container, after defaults.
export type Settings = z.output<typeof settingsSchema>;
// One `containers` entry.
export type Override = z.output<typeof overrideSchema>;
