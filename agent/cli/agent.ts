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
    // The agent mostly waits. With V8's defaults its RSS grew from 78 to 118 MB over a cycle
    // of 200 backups and stayed there; a small young generation and size-optimized code keep
    // it at 74-77 MB (BENCHMARKS.md). (--lite-mode would save more but disables WebAssembly,
    // which fetch needs for notifications.)
    setFlagsFromString('--optimize-for-size');
    setFlagsFromString('--max-semi-space-size=1');
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
