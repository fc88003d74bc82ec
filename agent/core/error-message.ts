// Reading a caught value (`catch (error: unknown)`) without casting it: the one place that knows its shape.

// The message of a caught value: an Error's message, or the value itself as text when something else was thrown.
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string') return error.message;
  return String(error);
}

// The errno code of a failed system call (ENOENT, EACCES, …), or undefined when the value carries none.
export function errnoCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') return error.code;
  return undefined;
}
