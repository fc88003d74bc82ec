// Everything one job for one container needs, resolved from the policy at the job's start.
import { readFile } from 'node:fs/promises';
import { detectDuplicityVersion } from '../duplicity/detect-version.js';
import type { BuildInput } from '../duplicity/argv.js';
import { containerLayout } from '../duplicity/layout.js';
import { resolveContainer } from '../policy/resolve.js';
import type { Policy } from '../policy/schema.js';
import { parseSecretsFile, resolveSecret } from '../policy/secrets.js';

export type JobContext = BuildInput & { policy: Policy };

// Reads the secrets file fresh for every job, so an edit needs no restart; a missing
// file is fine when the references are in the environment.
async function loadSecretValues(file: string): Promise<Map<string, string>> {
  try {
    return parseSecretsFile(await readFile(file, 'utf8')).values;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw new Error(`cannot read secrets file ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

// The job context for container `name`.
export async function createJobContext(policy: Policy, name: string, env: NodeJS.ProcessEnv): Promise<JobContext> {
  const values = await loadSecretValues(policy.secrets_file);
  const source = { file: values, env };
  return {
    policy,
    container: resolveContainer(policy, name),
    layout: containerLayout(policy, name),
    version: await detectDuplicityVersion(policy.state_dir),
    secret: (reference) => resolveSecret(reference, source, policy.secrets_file),
  };
}
