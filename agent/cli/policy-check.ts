// `lxc-backup policy check [FILE]`: validate a policy and its secrets file, print every problem.
import { checkSecrets } from '../policy/load.js';
import { formatProblem } from '../policy/problem.js';
import { CheckFailed } from './errors.js';
import { loadPolicy } from './load-policy.js';
import { jsonOption, policyOption, policyPath, type Verb } from './verb.js';

export const policyCheckVerb: Verb = {
  words: ['policy', 'check'],
  usage: 'policy check [FILE] [--json]',
  summary: 'validate a policy file and the secrets it references (exit 0 valid, 1 invalid, 2 unreadable)',
  options: { policy: policyOption, json: jsonOption },
  positionals: { min: 0, max: 1 },
  async run(args, io) {
    const file = args.positionals[0] ?? policyPath(args, io);
    const result = await loadPolicy(file, io, { invalid: 'return' });
    const problems = result.problems.map(formatProblem);
    const secrets = result.policy ? await checkSecrets(result.policy, io.env) : { errors: [], warnings: [] };
    const errors = [...problems, ...secrets.errors];
    if (args.options.json) {
      io.out(JSON.stringify({ file, valid: errors.length === 0, errors, warnings: secrets.warnings }, null, 2));
    } else {
      for (const warning of secrets.warnings) io.err(`warning: ${warning}`);
      for (const error of errors) io.err(error);
      if (errors.length === 0) io.out(`${file}: valid`);
    }
    if (errors.length > 0) throw new CheckFailed(`${file}: ${errors.length} problem(s)`);
  },
};
