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
