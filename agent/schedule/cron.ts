// The one place that knows the cron library: validation and next-slot maths.
import { Cron } from 'croner';
import { errorMessage } from '../core/error-message.js';

// Why a cron expression is invalid, or undefined when it is valid.
export function cronProblem(expression: string): string | undefined {
  try {
    new Cron(expression, { paused: true });
    return undefined;
  } catch (error) {
    return errorMessage(error).replace(/^CronPattern: /, '');
  }
}

// The first slot of a cron expression strictly after `after`, or undefined if none.
export function nextCronSlot(expression: string, after: Date): Date | undefined {
  return new Cron(expression, { paused: true }).nextRun(after) ?? undefined;
}

// The last slot at or before `at` within the look-back window (for catch-up after downtime).
export function previousCronSlot(expression: string, at: Date, lookBackMs: number): Date | undefined {
  const cron = new Cron(expression, { paused: true });
  let slot = cron.nextRun(new Date(at.getTime() - lookBackMs));
  let last: Date | undefined;
  while (slot && slot.getTime() <= at.getTime()) {
    last = slot;
    slot = cron.nextRun(slot);
  }
  return last;
}
