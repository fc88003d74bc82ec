// `lxc-backup adopt NAME`: make this agent the owner of the container's target, e.g. after
// moving the container here from another host; backups then proceed.
import { errorMessage } from '../core/error-message.js';
import { acquireLock } from '../engine/lock.js';
import { adoptTarget } from '../engine/target-owner.js';
import { EnvironmentError } from './errors.js';
import { cliJobContext } from './load-job-context.js';
import { onlyPositional, policyOption, type Verb } from './verb.js';

export const adoptVerb: Verb = {
  words: ['adopt'],
  usage: 'adopt NAME',
  summary: "take over the container's target from the agent that wrote it (the owner marker keeps the previous owner)",
  options: { policy: policyOption },
  positionals: { min: 1, max: 1 },
  async run(args, io) {
    const name = onlyPositional(args);
    const ctx = await cliJobContext(args, io, name);
    // Under the container's lock: a backup of ours must not start halfway through.
    const release = await acquireLock(ctx.layout.lockFile, `adopt of ${name}`).catch((error: unknown) => {
      throw new EnvironmentError(errorMessage(error));
    });
    try {
      const before = await adoptTarget(ctx).catch((error: Error) => {
        throw new EnvironmentError(`${name}: ${error.message}`);
      });
      io.out(`${name}: target ${ctx.container.target} now belongs to ${ctx.owner.host}/${ctx.owner.backup_container} (before: ${before})`);
    } finally {
      await release();
    }
  },
};
