// Runs the agent until SIGTERM/SIGINT: policy, state, daemon, control socket and policy
// watch wired together. Resolves with the process exit code.
import { hostname as osHostname } from 'node:os';
import { agentSocketPath } from '../control/socket-path.js';
import { startControlServer } from '../control/server.js';
import type { JobRunner } from '../core/job.js';
import { createLogger, type Log } from '../core/log.js';
import { releaseIdleMemory } from '../daemon/idle-memory.js';
import type { Policy } from '../policy/schema.js';
import { readSecretValues, type SecretsReader } from '../policy/secrets-file.js';
import { createSecretsKeeper } from '../policy/secrets-keeper.js';
import { createDaemon } from '../daemon/daemon.js';
import type { Daemon } from '../daemon/daemon-options.js';
import { controlHandlers } from './control-handlers.js';
import { findUnfinishedJobs } from '../engine/running-jobs.js';
import { createMonitoring } from './monitoring.js';
import { reloadPolicy, watchPolicy, type Reload } from '../daemon/policy-watch.js';
import { rebuildState, stateWasLost } from '../daemon/rebuild-state.js';
import { cleanLeftovers } from '../daemon/start-cleanup.js';
import { createStateWriter, loadState, StateFileError } from '../daemon/state-store.js';
import { errorMessage } from '../core/error-message.js';

export interface RunAgentOptions {
  policyPath: string;
  env: NodeJS.ProcessEnv;
  // Builds the job runner; it reads the live policy through `getPolicy` and the secrets
  // through `readSecrets` (which keeps the last good ones) at each job.
  makeRunner(getPolicy: () => Policy, readSecrets: SecretsReader): JobRunner;
  log?: Log;
  hostname?: string;
}

// The handlers stay installed for the rest of the process: execa's signal-exit re-raises a
// signal (killing us mid-shutdown) when it finds itself the only listener.
function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals): void => resolve(signal);
    process.on('SIGTERM', on);
    process.on('SIGINT', on);
  });
}

// Runs until a signal; 1 when the policy is invalid at start, 0 after a clean shutdown.
export async function runAgent(options: RunAgentOptions): Promise<number> {
  const log = options.log ?? createLogger();
  const started = Date.now();
  const signalled = waitForSignal();
  const first = await reloadPolicy(options.policyPath);
  if ('problems' in first) {
    log.error({ problems: first.problems }, `cannot start: the policy is invalid: ${first.problems.join('; ')}`);
    return 1;
  }
  // Checked at start like the policy: there is no last good secrets file to fall back on yet.
  const firstSecrets = await readSecretValues(first.policy.secrets_file).then(
    () => undefined,
    (error: unknown) => errorMessage(error),
  );
  if (firstSecrets) {
    log.error({ secrets_file: first.policy.secrets_file }, `cannot start: ${firstSecrets}`);
    return 1;
  }
  const secrets = createSecretsKeeper(
    (error, kept) => log.error({ event: 'secrets-bad' }, `${error.message}${kept ? ' (still using the last good secrets)' : ''}`),
    (file) => log.info({ event: 'secrets-good', secrets_file: file }, `${file} is usable again`),
  );
  await secrets.read(first.policy.secrets_file);
  const loaded = await loadState(first.policy.state_dir).catch((error: unknown) => {
    if (!(error instanceof StateFileError)) throw error;
    log.error({}, `cannot start: ${error.message}`);
    return undefined;
  });
  if (!loaded) return 2;
  if (loaded.setAside)
    log.warn(
      { set_aside: loaded.setAside, problem: loaded.problem },
      `state file was corrupt or unusable (${loaded.problem}): moved to ${loaded.setAside}, rebuilding`,
    );
  await cleanLeftovers(first.policy, new Date(started), log);
  const writer = createStateWriter(first.policy.state_dir);
  let daemon: Daemon | undefined;
  const runner = options.makeRunner(() => daemon?.policy() ?? first.policy, secrets.read);
  if (await stateWasLost(loaded, first.policy)) await rebuildState(loaded.state, first.policy, runner, log);
  const monitoring = createMonitoring({
    policy: () => daemon?.policy() ?? first.policy,
    status: () => running.status(),
    state: loaded.state,
    env: options.env,
    log,
    readSecrets: secrets.read,
    ...(options.hostname ? { hostname: options.hostname } : {}),
  });
  daemon = createDaemon({
    policyPath: options.policyPath,
    policy: first.policy,
    runner,
    log,
    hostname: options.hostname ?? osHostname(),
    state: loaded.state,
    writeState: (state) => writer.write(state),
    onEvent: (event) => monitoring.onEvent(event),
    unfinishedJobs: () => findUnfinishedJobs(first.policy.state_dir),
  });
  const running = daemon;
  const socket = agentSocketPath(options.env);
  const control = await startControlServer(socket, controlHandlers(running));
  await running.start();
  await monitoring.start();
  const onReload = (reload: Reload): void => {
    running.applyReload(reload);
    // Each reload re-checks the secrets file too; a bad one is reported and the last good kept.
    if ('policy' in reload) void secrets.read(reload.policy.secrets_file).catch(() => undefined);
  };
  const watch = watchPolicy(options.policyPath, onReload, (error) => log.error({ err: error }, 'watching the policy failed'));
  await watch.ready;
  log.info({ socket, startup_ms: Date.now() - started, process_ms: Math.round(process.uptime() * 1000) }, 'agent ready');
  // Start-up (discovery, state, schedules) is a burst like a cycle of jobs; what follows is waiting.
  releaseIdleMemory();

  const signal = await signalled;
  log.info({ signal }, `${signal}: stopping (running jobs are asked to stop, then killed after their grace period)`);
  await watch.close();
  await control.close();
  await running.stop();
  // Lets the last notifications out (each is bounded by its timeout; at most 5 s in all).
  await monitoring.close();
  log.info({}, 'agent stopped, state written');
  return 0;
}
