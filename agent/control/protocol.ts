// The control protocol: one JSON object per line each way, one response per request.
import * as z from 'zod';

const namesOrAll = {
  names: z.array(z.string().min(1)).optional(),
  all: z.boolean().optional(),
};

export const requestSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('status') }),
  z.object({ type: z.literal('backup'), ...namesOrAll, full: z.boolean().optional() }),
  z.object({ type: z.literal('prune'), ...namesOrAll }),
]);

// `{"type":"status"}`, `{"type":"backup","names":[…]|"all":true,"full":bool}`, `{"type":"prune",…}`.
export type ControlRequest = z.infer<typeof requestSchema>;

// Every response has `ok`; a failed request carries `error`, a good one its data.
export type ControlResponse = { ok: true; [key: string]: unknown } | { ok: false; error: string };

// Parses one request line; an error response explains what was wrong.
export function parseRequest(line: string): { request: ControlRequest } | { error: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return { error: 'expected one JSON object per line' };
  }
  const parsed = requestSchema.safeParse(raw);
  if (!parsed.success)
    return { error: `expected {"type": "status"|"backup"|"prune", …}, got ${parsed.error.issues[0]?.message ?? 'something else'}` };
  const request = parsed.data;
  if (request.type !== 'status' && !request.all === !(request.names && request.names.length > 0)) {
    return { error: `expected either "names" or "all": true in a ${request.type} request` };
  }
  return { request };
}
