// Loads the policy for verbs that need a valid one; prints problems and fails otherwise.
import { PolicyReadError, readPolicy } from '../policy/load.js';
import { formatProblem } from '../policy/problem.js';
import type { ParseResult } from '../policy/parse.js';
import type { Policy } from '../policy/schema.js';
import { CheckFailed, EnvironmentError } from './errors.js';
import type { CliIo } from './io.js';

// Reads and validates `file`; an unreadable file is an environment error (exit 2).
export async function readPolicyForCli(file: string): Promise<ParseResult> {
  return readPolicy(file).catch((error: unknown) => {
    throw error instanceof PolicyReadError ? new EnvironmentError(error.message) : error;
  });
}

// The valid policy at `file`, or a CheckFailed after printing each problem.
export async function loadValidPolicy(file: string, io: CliIo): Promise<Policy> {
  const result = await readPolicyForCli(file);
  if (!result.policy) {
    for (const problem of result.problems) io.err(formatProblem(problem));
    throw new CheckFailed(`${file} is invalid (${result.problems.length} problem(s)); fix it and run: lxc-backup policy check ${file}`);
  }
  return result.policy;
}
