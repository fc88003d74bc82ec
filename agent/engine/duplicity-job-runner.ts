// The real JobRunner: backup and prune through duplicity, for the agent and the CLI.
import type { JobOutcome, JobRequest, JobRunner } from '../core/job.js';
import type { Policy } from '../policy/schema.js';
import type { SecretsReader } from '../policy/secrets-file.js';
import { backupContainer } from './backup.js';
import { createJobContext } from './job-context.js';
import { pruneContainer } from './prune.js';
import { runDrillJob } from './drill/drill-job.js';
import { readChainSummary } from './chain-summary.js';
import { errorMessage } from '../core/error-message.js';
import { durationMs } from '../policy/duration.js';
import { resolveContainer } from '../policy/resolve.js';
import { targetEndpoint } from '../policy/target-endpoint.js';
import { probeTarget } from './target-probe.js';

// A runner that resolves the policy at each job's start, so live edits apply to the next job.
export function createDuplicityJobRunner(
  getPolicy: () => Policy,
  env: NodeJS.ProcessEnv,
  options: { interactive?: boolean; readSecrets?: SecretsReader } = {},
): JobRunner {
  return {
    async run(request: JobRequest): Promise<JobOutcome> {
      const started = Date.now();
      try {
        const ctx = await createJobContext(getPolicy(), request.container, env, options.readSecrets);
        const signal = request.signal ? { signal: request.signal } : {};
        if (request.action === 'prune') return await pruneContainer(ctx, signal);
        if (request.action === 'drill') return await runDrillJob(ctx, env, request.signal);
        const scheduled = request.scheduled === true;
        return await backupContainer(ctx, { ...signal, full: request.full ?? false, interactive: options.interactive ?? false, scheduled });
      } catch (error) {
        // Unset secrets, a missing duplicity: nothing a retry would fix.
        return { ok: false, durationMs: Date.now() - started, failure: { kind: 'permanent', message: errorMessage(error) } };
      }
    },
    async inspect(container, signal) {
      return readChainSummary(await createJobContext(getPolicy(), container, env, options.readSecrets), signal);
    },
    async probe(container, signal) {
      const { settings } = resolveContainer(getPolicy(), container);
      const endpoint = targetEndpoint(settings.target, settings);
      // Nothing to check (a URL only duplicity understands): let the job find out.
      if (!endpoint) return { ok: true, target: settings.target };
      return probeTarget(endpoint, durationMs(settings.target_probe_timeout), signal);
    },
  };
}
