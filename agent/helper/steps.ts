// Runs a plan's commands one after another, each with its own hard time limit.
import { runChecked } from './run-bounded.js';

// Runs `steps` in order; stops at the first failure unless `keepGoing` (undo paths try every step).
export async function runSteps(steps: readonly string[][], timeoutMs: number, options: { keepGoing?: boolean } = {}): Promise<void> {
  let first: unknown;
  for (const argv of steps) {
    try {
      await runChecked(argv, { timeoutMs });
    } catch (error) {
      if (!options.keepGoing) throw error;
      first ??= error;
    }
  }
  if (first !== undefined) throw first;
}
