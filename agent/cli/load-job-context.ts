// The job context a read-only or restore verb needs, with errors turned into exit codes.
import { createJobContext, type JobContext } from '../engine/job-context.js';
import { EnvironmentError } from './errors.js';
import type { CliIo } from './io.js';
import { loadPolicy } from './load-policy.js';
import { policyPath, type ParsedArgs } from './verb.js';
import { errorMessage } from '../core/error-message.js';

// Loads the policy and resolves container `name` (secrets, duplicity version, paths).
export async function cliJobContext(args: ParsedArgs, io: CliIo, name: string): Promise<JobContext> {
  const policy = await loadPolicy(policyPath(args, io), io);
  return createJobContext(policy, name, io.env).catch((error: unknown) => {
    throw new EnvironmentError(errorMessage(error));
  });
}
