// `lxc-backup prune NAME…|--all`: apply retention now (direct mode).
import { createDuplicityJobRunner } from '../engine/duplicity-job-runner.js';
import { CheckFailed } from './errors.js';
import { directOption, handOverToAgent } from './via-agent.js';
import { loadPolicy } from './load-policy.js';
import { targetNames } from './targets.js';
import { policyOption, policyPath, type Verb } from './verb.js';

export const pruneVerb: Verb = {
  words: ['prune'],
  usage: 'prune NAME...|--all',
  summary: 'apply retention now (remove-older-than etc. with --force; the active chain is kept)',
  options: {
    all: { type: 'boolean', description: 'every container under host_root the policy covers' },
    direct: directOption,
    policy: policyOption,
  },
  positionals: { min: 0, max: Infinity },
  async run(args, io) {
    if (await handOverToAgent('prune', args, io)) return;
    const policy = await loadPolicy(policyPath(args, io), io);
    const names = await targetNames(args, policy, io, 'prune');
    const runner = createDuplicityJobRunner(() => policy, io.env);
    let failed = 0;
    for (const name of names) {
      const outcome = await runner.run({ container: name, action: 'prune' });
      if (outcome.ok) {
        const chains = outcome.chain ? `, ${outcome.chain.chains} chain(s) kept` : '';
        io.out(`${name}: pruned${chains}`);
      } else {
        failed++;
        io.err(`${name}: prune failed: ${outcome.failure?.message ?? 'unknown error'}`);
      }
    }
    if (failed > 0) throw new CheckFailed(`${failed} of ${names.length} prune(s) failed`);
  },
};
