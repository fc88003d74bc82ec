// Errors the CLI knows how to report in one line, each with its exit code.

// Exit 2: the command line is wrong.
export class UsageError extends Error {
  override name = 'UsageError';
  readonly exitCode = 2;
}

// Exit 2: the environment is wrong (unreadable file, missing tool, no agent).
export class EnvironmentError extends Error {
  override name = 'EnvironmentError';
  readonly exitCode = 2;
}

// Exit 1: the thing checked is bad (invalid policy, failed backup). Details already printed.
export class CheckFailed extends Error {
  override name = 'CheckFailed';
  readonly exitCode = 1;
}

// The exit code for a known error, or undefined for an unexpected one (printed with a stack).
export function knownExitCode(error: unknown): number | undefined {
  if (error instanceof UsageError || error instanceof EnvironmentError || error instanceof CheckFailed) return error.exitCode;
  return undefined;
}
