// Appends a history line for every job that ends (an observer of the daemon's job-end events).
// Writes of one container are chained so an append never races that container's rotation; a
// failed write is logged and never touches the job.
import type { Log } from '../core/log.js';
import { errorMessage } from '../core/error-message.js';
import type { DaemonEvent } from './events.js';
import { appendHistory, DEFAULT_HISTORY_BOUNDS, type HistoryBounds } from './history-file.js';
import { historyRecordOf } from './history-record.js';

export interface HistoryWriterOptions {
  stateDir(): string;
  log: Log;
  bounds?: HistoryBounds;
  now?: () => Date;
}

// What the agent needs of the writer.
export interface HistoryWriter {
  onEvent(event: DaemonEvent): void;
  // Resolves once every write started so far has finished.
  flush(): Promise<void>;
}

// The history bounds from the environment (tests shrink them), else the defaults.
export function historyBoundsFrom(env: NodeJS.ProcessEnv): HistoryBounds {
  const read = (value: string | undefined, fallback: number): number => {
    const number = Number(value);
    return value !== undefined && Number.isInteger(number) && number > 0 ? number : fallback;
  };
  return {
    maxJobs: read(env.LXC_BACKUP_HISTORY_MAX_JOBS, DEFAULT_HISTORY_BOUNDS.maxJobs),
    maxDays: read(env.LXC_BACKUP_HISTORY_MAX_DAYS, DEFAULT_HISTORY_BOUNDS.maxDays),
  };
}

// Creates the writer.
export function createHistoryWriter(options: HistoryWriterOptions): HistoryWriter {
  const bounds = options.bounds ?? DEFAULT_HISTORY_BOUNDS;
  const now = options.now ?? (() => new Date());
  const chains = new Map<string, Promise<void>>();
  return {
    onEvent(event) {
      if (event.type !== 'job-end') return;
      const { container, action, end, at } = event;
      const record = historyRecordOf(action, end, at);
      const previous = chains.get(container) ?? Promise.resolve();
      const next = previous
        .then(() => appendHistory(options.stateDir(), container, record, bounds, now()))
        .catch((error: unknown) =>
          options.log.error({ container, event: 'history-write' }, `cannot write the job history of ${container}: ${errorMessage(error)}`),
        );
      chains.set(container, next);
      void next.then(() => {
        if (chains.get(container) === next) chains.delete(container);
      });
    },
    async flush() {
      await Promise.all(chains.values());
    },
  };
}
