// `lxc-backup config-record NAME [--json]`: the power lines recorded from NAME's host config
// at its last successful backup. scripts/restore on the host compares a restored config with
// them; they come from state_dir, which no guest can reach, not from the restored tree.
import { ConfigReadError, readConfigRecord } from '../engine/config-record.js';
import { CheckFailed, EnvironmentError, UsageError } from './errors.js';
import { loadPolicy } from './load-policy.js';
import { jsonOption, policyOption, policyPath, onlyPositional, type Verb } from './verb.js';

// Container names as they appear under host_root; anything else cannot have a record.
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export const configRecordVerb: Verb = {
  words: ['config-record'],
  usage: 'config-record NAME [--json]',
  summary: "print the power-giving lines (hooks, mounts, caps, ...) recorded from NAME's host config at its last backup",
  options: { policy: policyOption, json: jsonOption },
  positionals: { min: 1, max: 1 },
  async run(args, io) {
    const name = onlyPositional(args);
    if (!NAME.test(name)) throw new UsageError(`expected a container name (letters, digits, '.', '_', '-'), got ${JSON.stringify(name)}`);
    const policy = await loadPolicy(policyPath(args, io), io);
    const record = await readConfigRecord(policy.state_dir, name).catch((error: unknown) => {
      throw error instanceof ConfigReadError ? new EnvironmentError(error.message) : error;
    });
    if (!record)
      throw new CheckFailed(
        `${name}: no config record in ${policy.state_dir}/configs (no successful backup since lxc-backup began recording configs)`,
      );
    if (args.options.json) {
      io.out(JSON.stringify({ name, recorded_at: record.recordedAt, config_sha256: record.configSha256, lines: record.lines }, null, 2));
      return;
    }
    if (record.lines.length > 0) io.out(record.lines.join('\n'));
  },
};
