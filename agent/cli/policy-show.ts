// `lxc-backup policy show NAME`: one container's effective policy, secrets masked.
import { stringify } from 'yaml';
import { maskContainerPolicy } from '../policy/mask.js';
import { resolveContainer } from '../policy/resolve.js';
import { loadPolicy } from './load-policy.js';
import { jsonOption, policyOption, policyPath, onlyPositional, type Verb } from './verb.js';

export const policyShowVerb: Verb = {
  words: ['policy', 'show'],
  usage: 'policy show NAME [--policy FILE] [--json]',
  summary: "print a container's effective policy after defaults and overrides (secrets shown as ***)",
  options: { policy: policyOption, json: jsonOption },
  positionals: { min: 1, max: 1 },
  async run(args, io) {
    const name = onlyPositional(args);
    const policy = await loadPolicy(policyPath(args, io), io);
    const shown = maskContainerPolicy(resolveContainer(policy, name));
    if (args.options.json) {
      io.out(JSON.stringify(shown, null, 2));
      return;
    }
    const lines = [`# container: ${name}`, `# applied, later wins: ${shown.sources.join(' < ')}`];
    if (shown.ignoredBy) lines.push(`# ignored: matches ignore pattern ${JSON.stringify(shown.ignoredBy)}`);
    lines.push(`# target: ${shown.target}`);
    io.out(`${lines.join('\n')}\n${stringify(shown.settings)}`);
  },
};
