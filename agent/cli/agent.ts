// `lxc-backup agent`: run the daemon in the foreground (systemd runs this).
import { setFlagsFromString } from 'node:v8';
import { createDuplicityJobRunner } from '../backup/job-runner.js';
import { SocketInUseError } from '../control/server.js';
import { runAgent } from '../daemon/run-agent.js';
import { CheckFailed, EnvironmentError } from './errors.js';
import { policyOption, policyPath, type Verb } from './verb.js';

export const agentVerb: Verb = {
  words: ['agent'],
  usage: 'agent [--policy FILE]',
  summary: 'run the backup agent in the foreground: discover, schedule, back up, reload the policy live',
  options: { policy: policyOption },
  positionals: { min: 0, max: 0 },
  async run(args, io) {
    // The agent mostly waits; V8's optimizing tiers bought nothing here but ~40 MB of RSS
    // after a cycle of 200 backups (78 -> 118 MB; with lite mode 68 -> 60 MB, BENCHMARKS.md).
    setFlagsFromString('--lite-mode');
    const code = await runAgent({
      policyPath: policyPath(args, io),
      env: io.env,
      makeRunner: (getPolicy) => createDuplicityJobRunner(getPolicy, io.env),
    }).catch((error: unknown) => {
      throw error instanceof SocketInUseError ? new EnvironmentError(error.message) : error;
    });
    if (code !== 0) throw new CheckFailed('the agent did not start: the policy is invalid (see the log above)');
  },
};
