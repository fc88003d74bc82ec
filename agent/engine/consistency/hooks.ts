// The guest's own pre-backup and post-backup hooks, run inside it by the host helper. What
// runs is the guest's choice; the agent only asks, bounds the time and records the result.
import type { ConsistencyRecord } from '../../core/job.js';
import type { HelperSession } from '../../core/helper-session.js';
import { errorMessage } from '../../core/error-message.js';
import { durationMs } from '../../policy/duration.js';
import type { Settings } from '../../policy/schema.js';
import { QUICK_REQUEST_MS } from './helper-link.js';

// One hook that ran.
export type HookRecord = NonNullable<ConsistencyRecord['hooks']>[number];

// The hook's record (absent when the guest has none) and, when it failed, the message.
export interface HookResult {
  record?: HookRecord;
  failure?: string;
}

// The most of a hook's output kept in the outcome (the helper already sends only a tail).
const OUTPUT_MAX = 2_000;

// Runs the `phase` hook of container `name` through `session`.
export async function runHook(session: HelperSession, name: string, phase: 'pre' | 'post', hooks: Settings['hooks']): Promise<HookResult> {
  const timeoutMs = durationMs(hooks.timeout);
  const timeoutS = Math.max(1, Math.min(3600, Math.ceil(timeoutMs / 1000)));
  try {
    const reply = await session.request({ verb: 'hook', name, phase, timeout_s: timeoutS }, timeoutS * 1000 + QUICK_REQUEST_MS);
    if (!reply.ran) return {};
    const output = reply.output.slice(-OUTPUT_MAX);
    const record: HookRecord = { phase, exit_code: reply.exit_code ?? null, output };
    if (reply.exit_code === 0) return { record };
    const last = lastLine(output);
    return { record, failure: `${phase}-backup hook in ${name} exited ${reply.exit_code ?? 'without a code'}${last ? `: ${last}` : ''}` };
  } catch (error) {
    const message = errorMessage(error);
    return {
      record: { phase, exit_code: null, output: message.slice(-OUTPUT_MAX) },
      failure: `${phase}-backup hook in ${name}: ${message}`,
    };
  }
}

// The last non-empty line, for a one-line job error.
function lastLine(output: string): string {
  const lines = output.split('\n').filter((line) => line.trim() !== '');
  return (lines.at(-1) ?? '').slice(0, 300);
}
