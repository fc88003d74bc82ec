// Hands a backup or prune request to the running agent, so it is queued under the agent's
// concurrency and per-container rules instead of racing it.
import { requestAgent } from '../control/client.js';
import { agentSocketPath } from '../control/socket-path.js';
import { CheckFailed, EnvironmentError } from './errors.js';
import type { CliIo } from './io.js';
import type { OptionSpec, ParsedArgs } from './verb.js';

// The --direct option of verbs that can go through the agent.
export const directOption: OptionSpec = {
  type: 'boolean',
  description: 'run here and now even if an agent is running (same per-container lock)',
};

// True when a running agent took the request; false when there is none (run directly).
export async function handOverToAgent(action: 'backup' | 'prune', args: ParsedArgs, io: CliIo): Promise<boolean> {
  if (args.options.direct === true) return false;
  const socket = agentSocketPath(io.env);
  const target = args.options.all === true ? { all: true } : { names: args.positionals };
  const request = action === 'backup' ? { type: action, ...target, full: args.options.full === true } : { type: action, ...target };
  const response = await requestAgent(socket, request, { timeoutMs: 5000 }).catch((error: Error) => {
    throw new EnvironmentError(error.message);
  });
  if (response === undefined) return false;
  if (!response.ok) throw new EnvironmentError(`the agent refused the request: ${response.error}`);
  const list = (key: string): string[] => (Array.isArray(response[key]) ? (response[key] as unknown[]).map(String) : []);
  for (const name of list('queued')) io.out(`${name}: queued in the running agent`);
  for (const name of list('merged')) io.out(`${name}: already queued or running in the agent`);
  const skipped = Array.isArray(response.skipped) ? (response.skipped as Array<{ name: string; reason: string }>) : [];
  for (const { name, reason } of skipped) io.err(`${name}: skipped by the agent (${reason})`);
  const unknown = list('unknown');
  for (const name of unknown) io.err(`${name}: the agent knows no such container`);
  io.err('follow progress with: lxc-backup status');
  if (unknown.length > 0) throw new CheckFailed(`${unknown.length} unknown container(s)`);
  return true;
}
