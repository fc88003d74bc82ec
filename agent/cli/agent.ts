// `lxc-backup agent`: run the daemon in the foreground (systemd runs this).
import { createDuplicityJobRunner } from '../engine/duplicity-job-runner.js';
import { SocketInUseError } from '../control/server.js';
import { CheckFailed, EnvironmentError } from './errors.js';
import { policyOption, policyPath, type Verb } from './verb.js';

export const agentVerb: Verb = {
  words: ['agent'],
  usage: 'agent [--policy FILE]',
  summary: 'run the backup agent in the foreground: discover, schedule, back up, reload the policy live',
  options: { policy: policyOption },
  positionals: { min: 0, max: 0 },
  async run(args, io) {
    // Loaded here, not at the top: the daemon (prom-client, pino, chokidar) would add to every
    // other verb's start-up, which the CLI pays once per `backup --all`.
    const { runAgent } = await import('../app/run-agent.js');
    const code = await runAgent({
      policyPath: policyPath(args, io),
      env: io.env,
      makeRunner: (getPolicy, readSecrets) => createDuplicityJobRunner(getPolicy, io.env, { readSecrets }),
    }).catch((error: unknown) => {
      throw error instanceof SocketInUseError ? new EnvironmentError(error.message) : error;
    });
    if (code !== 0) throw new CheckFailed('the agent did not start: the policy or its secrets file is invalid (see the log above)');
  },
};
