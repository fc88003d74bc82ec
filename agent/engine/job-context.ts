// Everything one job for one container needs, resolved from the policy at the job's start.
import { detectDuplicityVersion } from './duplicity/detect-version.js';
import type { BuildInput } from './duplicity/argv.js';
import { containerLayout } from './duplicity/layout.js';
import { resolveContainer } from '../policy/resolve.js';
import type { Policy } from '../policy/schema.js';
import { resolveSecret } from '../policy/secrets.js';
import { readSecretValues, type SecretsReader } from '../policy/secrets-file.js';
import { assertContainerName } from '../core/container-name.js';

export type JobContext = BuildInput & { policy: Policy };

// The job context for container `name`. Only a valid name gets one: it becomes duplicity's
// include pattern, target URL and file names under state_dir. `readSecrets` is the agent's
// keeper of the last good secrets; the CLI reads the file strictly.
export async function createJobContext(
  policy: Policy,
  name: string,
  env: NodeJS.ProcessEnv,
  readSecrets: SecretsReader = readSecretValues,
): Promise<JobContext> {
  assertContainerName(name);
  const values = await readSecrets(policy.secrets_file);
  const source = { file: values, env };
  return {
    policy,
    container: resolveContainer(policy, name),
    layout: containerLayout(policy, name),
    version: await detectDuplicityVersion(policy.state_dir),
    secret: (reference) => resolveSecret(reference, source, policy.secrets_file),
  };
}
