// Lets a run of synchronous work share the event loop: it checks the clock between small steps
// and yields (setImmediate) once it has held the loop for its budget, so timers, sockets and the
// other containers' jobs in this process wait at most about one budget.
import { performance } from 'node:perf_hooks';

// Milliseconds of synchronous work between two yields.
export const SLICE_MS = 5;

// One run's slice: call `pause()` between steps.
export interface TimeSlice {
  pause(): Promise<void>;
}

// Creates a slice of `budgetMs`, starting now.
export function createTimeSlice(budgetMs = SLICE_MS): TimeSlice {
  let started = performance.now();
  return {
    async pause() {
      if (performance.now() - started < budgetMs) return;
      await new Promise<void>((resolve) => setImmediate(resolve));
      started = performance.now();
    },
  };
}
