// The notification settings of one container: ping URLs, webhook, ntfy, delivery limits.
import * as z from 'zod';
import { durationValue } from './values.js';
import { urlTemplateProblem } from './url-template.js';

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

// Each notification setting, without its default (settings-schema.ts adds them).
export const notifyFields = {
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
