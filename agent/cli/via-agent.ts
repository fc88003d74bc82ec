// Hands a backup, prune or drill request to the running agent, so it is queued under the agent's
// concurrency and per-container rules instead of racing it.
import { requestAgent } from '../control/client.js';
import type { BackupRequest, DrillRequest, PruneRequest } from '../control/protocol.js';
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
export async function handOverToAgent(action: 'backup' | 'prune' | 'drill', args: ParsedArgs, io: CliIo): Promise<boolean> {
  if (args.options.direct === true) return false;
  const socket = agentSocketPath(io.env);
  const target = args.options.all === true ? { all: true } : { names: args.positionals };
  const request: BackupRequest | PruneRequest | DrillRequest =
    action === 'backup' ? { type: action, ...target, full: args.options.full === true } : { type: action, ...target };
  const reply = await requestAgent(socket, request, { timeoutMs: 5000 }).catch((error: Error) => {
    throw new EnvironmentError(error.message);
  });
  if (reply === undefined) return false;
  if (!reply.ok) throw new EnvironmentError(`the agent refused the request: ${reply.error}`);
  for (const name of reply.queued) io.out(`${name}: queued in the running agent`);
  for (const name of reply.merged) io.out(`${name}: already queued or running in the agent`);
  for (const { name, reason } of reply.skipped) io.err(`${name}: skipped by the agent (${reason})`);
  for (const name of reply.unknown) io.err(`${name}: the agent knows no such container`);
  io.err('follow progress with: lxc-backup status');
  if (reply.unknown.length > 0) throw new CheckFailed(`${reply.unknown.length} unknown container(s)`);
  return true;
}
