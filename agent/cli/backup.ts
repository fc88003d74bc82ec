// `lxc-backup backup NAME…|--all [--full]`: back up now (direct mode).
import { consistencyLine } from './consistency-line.js';
import { escapeControlLines } from '../core/escape-control.js';
import { createDuplicityJobRunner } from '../engine/duplicity-job-runner.js';
import { mapConcurrent } from '../core/map-concurrent.js';
import { jobSlots } from '../policy/concurrency.js';
import { CheckFailed } from './errors.js';
import { directOption, handOverToAgent } from './via-agent.js';
import { loadPolicy } from './load-policy.js';
import { checkBackupSource, targetNames } from './targets.js';
import { policyOption, policyPath, type Verb } from './verb.js';

export const backupVerb: Verb = {
  words: ['backup'],
  usage: 'backup NAME...|--all [--full | --if-changed]',
  summary: 'back up containers now (incremental, or a new full chain with --full), then apply retention',
  options: {
    all: { type: 'boolean', description: 'every container under host_root the policy covers' },
    full: { type: 'boolean', description: 'start a new full chain instead of an incremental' },
    'if-changed': {
      type: 'boolean',
      description: 'as the schedule does: skip duplicity for a container unchanged since its last real backup (runs directly)',
    },
    direct: directOption,
    policy: policyOption,
  },
  positionals: { min: 0, max: Infinity },
  async run(args, io) {
    // An explicit backup always runs duplicity; --if-changed asks for the schedule's rule instead,
    // which the agent's queue applies only to its own scheduled jobs, so it runs here.
    const ifChanged = args.options['if-changed'] === true && args.options.full !== true;
    if (!ifChanged && (await handOverToAgent('backup', args, io))) return;
    const policy = await loadPolicy(policyPath(args, io), io);
    const names = await targetNames(args, policy, io, 'backup');
    const runner = createDuplicityJobRunner(() => policy, io.env, { interactive: io.interactive });
    // Containers side by side, as many as the policy's concurrency allows (as the agent would).
    const results = await mapConcurrent(names, jobSlots(policy.concurrency), async (name) => {
      const problem = await checkBackupSource(policy, name);
      if (problem) {
        io.err(problem);
        return false;
      }
      // As the agent does: a target that does not answer fails in seconds, not after duplicity's retries.
      const reachable = await runner.probe?.(name);
      if (reachable && !reachable.ok) {
        io.err(`${name}: ${escapeControlLines(reachable.message)}`);
        return false;
      }
      io.err(`${name}: backing up`);
      const outcome = await runner.run({ container: name, action: 'backup', full: args.options.full === true, scheduled: ifChanged });
      for (const line of outcome.recovered ?? []) io.err(`${name}: ${escapeControlLines(line)}`);
      if (outcome.consistency) io.err(`${name}: ${consistencyLine(outcome.consistency)}`);
      if (!outcome.ok) {
        io.err(`${name}: failed: ${escapeControlLines(outcome.failure?.message ?? 'unknown error')}`);
        return false;
      }
      const bytes = outcome.bytes === undefined ? '' : `, ${outcome.bytes} bytes`;
      io.out(`${name}: ok (${outcome.unchanged ? 'unchanged, ' : ''}${(outcome.durationMs / 1000).toFixed(1)} s${bytes})`);
      // Nothing was added, so retention waits for the next real backup (as in the agent).
      if (outcome.unchanged) return true;
      // Retention follows every successful backup, as in the agent.
      const pruned = await runner.run({ container: name, action: 'prune' });
      if (!pruned.ok) io.err(`${name}: retention failed: ${escapeControlLines(pruned.failure?.message ?? 'unknown error')}`);
      return pruned.ok;
    });
    const failed = results.filter((ok) => !ok).length;
    if (failed > 0) throw new CheckFailed(`${failed} of ${names.length} backup(s) failed`);
  },
};
