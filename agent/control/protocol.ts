// The control protocol: one JSON object per line each way, one reply per request, each verb
// with its own request and reply shape. Both ends validate what they receive.
import * as z from 'zod';
import { statusReportSchema } from './status-schema.js';

const namesOrAll = {
  names: z.array(z.string().min(1)).optional(),
  all: z.boolean().optional(),
};

// `{"type":"status"}`: every container's state.
const statusRequestSchema = z.object({ type: z.literal('status') });
// `{"type":"backup","names":[…]|"all":true,"full":bool}`: queue backups in the agent.
const backupRequestSchema = z.object({ type: z.literal('backup'), ...namesOrAll, full: z.boolean().optional() });
// `{"type":"prune","names":[…]|"all":true}`: queue prunes in the agent.
const pruneRequestSchema = z.object({ type: z.literal('prune'), ...namesOrAll });

// `{"type":"drill","names":[…]}`: queue restore drills in the agent (its result reaches state.json).
const drillRequestSchema = z.object({ type: z.literal('drill'), ...namesOrAll });

const requestSchema = z.discriminatedUnion('type', [statusRequestSchema, backupRequestSchema, pruneRequestSchema, drillRequestSchema]);

// A `status` request.
export type StatusRequest = z.infer<typeof statusRequestSchema>;
// A `backup` request.
export type BackupRequest = z.infer<typeof backupRequestSchema>;
// A `prune` request.
export type PruneRequest = z.infer<typeof pruneRequestSchema>;
// A `drill` request.
export type DrillRequest = z.infer<typeof drillRequestSchema>;
// Any request the agent answers.
export type ControlRequest = z.infer<typeof requestSchema>;
// The name of a verb.
export type ControlVerb = ControlRequest['type'];

// A refused or failed request, whatever the verb.
const errorReplySchema = z.object({ ok: z.literal(false), error: z.string() });
// The reply to `status`: the report `status --json` prints.
const statusReplySchema = z.object({ ok: z.literal(true), status: statusReportSchema });
// The reply to `backup` and `prune`: what the agent did with each name.
const triggerReplySchema = z.object({
  ok: z.literal(true),
  queued: z.array(z.string()),
  merged: z.array(z.string()),
  skipped: z.array(z.object({ name: z.string(), reason: z.string() })),
  unknown: z.array(z.string()),
});

// The reply to a request the agent refused or could not carry out.
export type ErrorReply = z.infer<typeof errorReplySchema>;
// The reply to a `status` request.
export type StatusReply = z.infer<typeof statusReplySchema>;
// The reply to a `backup` or `prune` request.
export type TriggerReply = z.infer<typeof triggerReplySchema>;

// The good reply to each verb.
interface GoodReplies {
  status: StatusReply;
  backup: TriggerReply;
  prune: TriggerReply;
  drill: TriggerReply;
}
// The good reply to a request of verb V.
export type GoodReply<V extends ControlVerb> = GoodReplies[V];

const replySchemas: { [V in ControlVerb]: z.ZodType<GoodReplies[V]> } = {
  status: statusReplySchema,
  backup: triggerReplySchema,
  prune: triggerReplySchema,
  drill: triggerReplySchema,
};
// What the agent may answer to a request of verb V.
export type ControlReply<V extends ControlVerb> = GoodReply<V> | ErrorReply;

// The agent's answer to each verb; a thrown error becomes an ErrorReply.
export interface ControlHandlers {
  status(request: StatusRequest): Promise<StatusReply>;
  backup(request: BackupRequest): Promise<TriggerReply>;
  prune(request: PruneRequest): Promise<TriggerReply>;
  drill(request: DrillRequest): Promise<TriggerReply>;
}

// The first problem zod found, on one line, with where it was.
function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'something else';
  const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return `${where}${issue.message}`.replace(/\s+/g, ' ');
}

// Parses one line as JSON; undefined when it is not.
function parseJson(line: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(line) };
  } catch {
    return undefined;
  }
}

// Parses one request line (the agent's side); the error explains what was wrong.
export function parseRequest(line: string): { request: ControlRequest } | { error: string } {
  const json = parseJson(line);
  if (!json) return { error: 'expected one JSON object per line' };
  const parsed = requestSchema.safeParse(json.value);
  if (!parsed.success) return { error: `expected {"type": "status"|"backup"|"prune"|"drill", …}, got ${firstIssue(parsed.error)}` };
  const request = parsed.data;
  if (request.type !== 'status' && !request.all === !(request.names && request.names.length > 0)) {
    return { error: `expected either "names" or "all": true in a ${request.type} request` };
  }
  return { request };
}

// Parses the reply line to a request of `verb` (the CLI's side); the error explains what was wrong.
export function parseReply<V extends ControlVerb>(verb: V, line: string): { reply: ControlReply<V> } | { error: string } {
  const json = parseJson(line);
  if (!json) return { error: 'expected one JSON object, got something other than JSON' };
  const good = replySchemas[verb].safeParse(json.value);
  if (good.success) return { reply: good.data };
  const refused = errorReplySchema.safeParse(json.value);
  if (refused.success) return { reply: refused.data };
  // Report against the shape the agent meant: a refusal when it says `ok: false`.
  const meant = typeof json.value === 'object' && json.value !== null && 'ok' in json.value && json.value.ok === false;
  return { error: `expected a ${verb} reply, got ${firstIssue(meant ? refused.error : good.error)}` };
}
