// The CLI's one policy reader: every verb that reads a policy goes through loadPolicy.
import { PolicyReadError, readPolicy } from '../policy/load.js';
import type { ParseResult } from '../policy/parse.js';
import { formatProblem } from '../policy/problem.js';
import type { Policy } from '../policy/schema.js';
import { CheckFailed, EnvironmentError } from './errors.js';
import type { CliIo } from './io.js';

// Reads and validates `file`. An unreadable file is an environment error (exit 2). An invalid
// policy prints each problem and fails the verb (exit 1), unless the verb asks for the problems
// with `invalid: 'return'` (policy check reports them itself, with the secrets file's).
export async function loadPolicy(file: string, io: CliIo): Promise<Policy>;
export async function loadPolicy(file: string, io: CliIo, options: { invalid: 'return' }): Promise<ParseResult>;
export async function loadPolicy(file: string, io: CliIo, options?: { invalid: 'return' }): Promise<Policy | ParseResult> {
  const result = await readPolicy(file).catch((error: unknown) => {
    throw error instanceof PolicyReadError ? new EnvironmentError(error.message) : error;
  });
  if (options?.invalid === 'return') return result;
  if (!result.policy) {
    for (const problem of result.problems) io.err(formatProblem(problem));
    throw new CheckFailed(`${file} is invalid (${result.problems.length} problem(s)); fix it and run: lxc-backup policy check ${file}`);
  }
  return result.policy;
}
