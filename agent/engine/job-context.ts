// Everything one job for one container needs, resolved from the policy at the job's start.
import { detectDuplicityVersion } from './duplicity/detect-version.js';
import type { BuildInput } from './duplicity/argv.js';
import { containerLayout } from './duplicity/layout.js';
import { resolveContainer } from '../policy/resolve.js';
import type { Policy } from '../policy/schema.js';
import { resolveSecret } from '../policy/secrets.js';
import { readSecretValues, type SecretsReader } from '../policy/secrets-file.js';
import { assertContainerName } from '../core/container-name.js';
import { expandHost } from '../policy/target.js';
import { ownerIdentity } from './target-owner/identity.js';
import type { OwnerIdentity } from './target-owner/marker.js';

// `owner`: this installation, as the owner marker on each target names it (target-owner.ts).
export type JobContext = BuildInput & { policy: Policy; owner: OwnerIdentity };

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
  const owner = await ownerIdentity(policy.state_dir, { env });
  const container = resolveContainer(policy, name);
  return {
    policy,
    owner,
    container: { ...container, target: expandHost(container.target, owner.host) },
    layout: containerLayout(policy, name),
    version: await detectDuplicityVersion(policy.state_dir),
    secret: (reference) => resolveSecret(reference, source, policy.secrets_file),
  };
}
