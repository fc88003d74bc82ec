// `lxc-backup history NAME [--json] [--limit N]`: the container's recorded jobs, oldest first,
// read from state_dir/history (works with or without a running agent).
import { assertContainerName } from '../core/container-name.js';
import { errorMessage } from '../core/error-message.js';
import { escapeControl, stringifyForTerminal } from '../core/escape-control.js';
import { readHistory } from '../daemon/history-file.js';
import { historyBoundsFrom } from '../daemon/history-writer.js';
import { EnvironmentError, UsageError } from './errors.js';
import { formatHistory } from './history-format.js';
import { loadPolicy } from './load-policy.js';
import { jsonOption, onlyPositional, policyOption, policyPath, type Verb } from './verb.js';

// The --limit value: a positive integer, or undefined for everything kept.
function limitOf(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const limit = Number(value);
  if (typeof value !== 'string' || !/^[0-9]+$/.test(value) || limit < 1)
    throw new UsageError(`--limit: expected a positive whole number of jobs, got "${escapeControl(String(value))}"`);
  return limit;
}

export const historyVerb: Verb = {
  words: ['history'],
  usage: 'history NAME [--json] [--limit N]',
  summary: "show a container's recorded jobs (time, action, outcome, duration, bytes, set type, mode, error)",
  options: {
    policy: policyOption,
    json: jsonOption,
    limit: { type: 'string', value: 'N', description: 'only the newest N jobs (default: all kept, at most 400)' },
  },
  positionals: { min: 1, max: 1 },
  async run(args, io) {
    const name = onlyPositional(args);
    try {
      assertContainerName(name);
    } catch (error) {
      throw new UsageError(errorMessage(error));
    }
    const limit = limitOf(args.options.limit);
    const policy = await loadPolicy(policyPath(args, io), io);
    const records = await readHistory(policy.state_dir, name, historyBoundsFrom(io.env), limit).catch((error: unknown) => {
      throw new EnvironmentError(`cannot read the history of ${escapeControl(name)} in ${policy.state_dir}: ${errorMessage(error)}`);
    });
    io.out(args.options.json ? stringifyForTerminal({ name, jobs: records }, 2) : formatHistory(escapeControl(name), records));
  },
};
