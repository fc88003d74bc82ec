// Shows a restore's progress: on a terminal one line redrawn in place (phase, volumes done
// of total, files, elapsed time, ticking every second); otherwise one plain line per phase,
// so logs and scripts/restore's relayed output stay readable.
import type { RestorePhase, RestoreProgress } from '../engine/restore-progress.js';

// Elapsed time as m:ss or h:mm:ss.
export function formatElapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const two = (n: number): string => String(n).padStart(2, '0');
  const h = Math.floor(s / 3600);
  return h > 0 ? `${h}:${two(Math.floor((s % 3600) / 60))}:${two(s % 60)}` : `${Math.floor(s / 60)}:${two(s % 60)}`;
}

// One progress line: `web: fetching, volume 3 of 12, 1200 files, 0:42`.
export function formatProgress(name: string, progress: RestoreProgress, elapsedMs: number): string {
  const parts = [`${name}: ${progress.phase}`];
  if (progress.volumesDone !== undefined && progress.volumesTotal) parts.push(`volume ${progress.volumesDone} of ${progress.volumesTotal}`);
  if (progress.files) parts.push(`${progress.files} files`);
  parts.push(formatElapsed(elapsedMs));
  return parts.join(', ');
}

// The view's outputs and clock, injectable for tests.
export interface ViewOptions {
  terminal: boolean;
  // Raw text (no newline added).
  write(text: string): void;
  now?: () => number;
  tickMs?: number;
}

// What the restore verb feeds.
export interface RestoreView {
  update(progress: RestoreProgress): void;
  // Ends the redrawn line (terminal) and stops the ticker.
  close(): void;
}

// Creates the view for restoring `name`; the clock starts now.
export function createRestoreView(name: string, options: ViewOptions): RestoreView {
  const now = options.now ?? Date.now;
  const started = now();
  let last: RestoreProgress | undefined;
  let lastPhase: RestorePhase | undefined;
  const draw = (): void => {
    if (last) options.write(`\r\x1b[K${formatProgress(name, last, now() - started)}`);
  };
  const ticker = options.terminal ? setInterval(draw, options.tickMs ?? 1000) : undefined;
  ticker?.unref();
  return {
    update(progress) {
      last = progress;
      if (options.terminal) draw();
      else if (progress.phase !== lastPhase) options.write(`${formatProgress(name, { phase: progress.phase }, now() - started)}\n`);
      lastPhase = progress.phase;
    },
    close() {
      clearInterval(ticker);
      if (options.terminal && last) options.write('\n');
    },
  };
}
