// `lxc-backup verify NAME`: duplicity verify against the container as it is now.
import { verifyBackup } from '../engine/inspect.js';
import { CheckFailed } from './errors.js';
import { cliJobContext } from './load-job-context.js';
import { policyOption, onlyPositional, type Verb } from './verb.js';

export const verifyVerb: Verb = {
  words: ['verify'],
  usage: 'verify NAME',
  summary: 'check that the newest backup reads back and matches the container (duplicity verify)',
  options: { policy: policyOption },
  positionals: { min: 1, max: 1 },
  async run(args, io) {
    const name = onlyPositional(args);
    const result = await verifyBackup(await cliJobContext(args, io, name));
    if (!result.ok) {
      io.err(`${name}: ${result.message}`);
      throw new CheckFailed(`verify of ${name} found problems`);
    }
    io.out(`${name}: ${result.message}`);
  },
};
