// Everything one job for one container needs, resolved from the policy at the job's start.
import { detectDuplicityVersion } from '../duplicity/detect-version.js';
import type { BuildInput } from '../duplicity/argv.js';
import { containerLayout } from '../duplicity/layout.js';
import { resolveContainer } from '../policy/resolve.js';
import type { Policy } from '../policy/schema.js';
import { resolveSecret } from '../policy/secrets.js';
import { readSecretValues } from '../policy/secrets-file.js';

export type JobContext = BuildInput & { policy: Policy };

// The job context for container `name`.
export async function createJobContext(policy: Policy, name: string, env: NodeJS.ProcessEnv): Promise<JobContext> {
  const values = await readSecretValues(policy.secrets_file);
  const source = { file: values, env };
  return {
    policy,
    container: resolveContainer(policy, name),
    layout: containerLayout(policy, name),
    version: await detectDuplicityVersion(policy.state_dir),
    secret: (reference) => resolveSecret(reference, source, policy.secrets_file),
  };
}
