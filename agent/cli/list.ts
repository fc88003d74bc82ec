// `lxc-backup list NAME [--json]`: the chains and sets on the target.
import { readCollectionStatus } from '../engine/chain-summary.js';
import { readIncompleteSetTimes } from '../engine/restore-time.js';
import { escapeControl, stringifyForTerminal } from '../core/escape-control.js';
import { CheckFailed } from './errors.js';
import { cliJobContext } from './load-job-context.js';
import { jsonOption, policyOption, onlyPositional, type Verb } from './verb.js';
import { errorMessage } from '../core/error-message.js';

export const listVerb: Verb = {
  words: ['list'],
  usage: 'list NAME [--json]',
  summary: "list a container's backup chains and sets (from duplicity collection-status)",
  options: { policy: policyOption, json: jsonOption },
  positionals: { min: 1, max: 1 },
  async run(args, io) {
    const name = onlyPositional(args);
    const ctx = await cliJobContext(args, io, name);
    const status = await readCollectionStatus(ctx).catch((error: unknown) => {
      io.err(`${escapeControl(name)}: ${escapeControl(errorMessage(error))}`);
      throw new CheckFailed(`cannot list the backups of ${escapeControl(name)}`);
    });
    // Read after collection-status: it may have set aside an interrupted run's leftovers.
    const incomplete = new Map((await readIncompleteSetTimes(ctx)).map((set) => [set.time, set.why]));
    const chains = status.chains.map((chain) => ({
      ...chain,
      sets: chain.sets.map((set) => {
        const why = incomplete.get(set.time);
        return why === undefined ? set : { ...set, incomplete: why };
      }),
    }));
    if (args.options.json) {
      io.out(stringifyForTerminal({ name, target: ctx.container.target, ...status, chains }, 2));
      return;
    }
    io.out(`${escapeControl(name)}: ${escapeControl(ctx.container.target)}`);
    if (status.chains.length === 0) io.out('  no backups');
    for (const chain of chains) {
      io.out(`  ${chain.kind} chain ${chain.startTime} .. ${chain.endTime}`);
      for (const set of chain.sets) {
        const mark = 'incomplete' in set ? `  incomplete: ${escapeControl(set.incomplete)}` : '';
        io.out(`    ${set.type.padEnd(4)} ${set.time}  ${set.volumes} volume(s)${mark}`);
      }
    }
  },
};
