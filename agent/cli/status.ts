// `lxc-backup status [--json]`: every container's state, asked of the running agent.
import { errorMessage } from '../core/error-message.js';
import { requestAgent } from '../control/client.js';
import { agentSocketPath } from '../control/socket-path.js';
import { stringifyForTerminal } from '../core/escape-control.js';
import { EnvironmentError } from './errors.js';
import { formatStatusTable } from './status-format.js';
import { jsonOption, policyOption, type Verb } from './verb.js';

export const statusVerb: Verb = {
  words: ['status'],
  usage: 'status [--json] [--local-time]',
  summary:
    "show every container's state (settling, ok, running, pending, failing, stale, orphaned, disabled, unsupported) from the running agent",
  options: {
    policy: policyOption,
    json: jsonOption,
    'local-time': {
      type: 'boolean',
      description: 'show local times (2026-12-01 04:07) instead of relative ones (3 h ago); --json always has ISO-8601',
    },
  },
  positionals: { min: 0, max: 0 },
  async run(args, io) {
    const socket = agentSocketPath(io.env);
    const reply = await requestAgent(socket, { type: 'status' }, { timeoutMs: 5000 }).catch((error: unknown) => {
      throw new EnvironmentError(errorMessage(error));
    });
    if (reply === undefined)
      throw new EnvironmentError(`no agent is running (nothing listens on ${socket}); start it with: systemctl start lxc-backup`);
    if (!reply.ok) throw new EnvironmentError(`the agent refused the request: ${reply.error}`);
    const report = reply.status;
    io.out(
      args.options.json
        ? stringifyForTerminal(report, 2)
        : formatStatusTable(report, { now: new Date(), localTime: args.options['local-time'] === true }),
    );
  },
};
