// Progress of a restore for people: which phase it is in, and while duplicity fetches,
// volumes done of total and files written, read from duplicity's info-level lines. Only
// counted: the lines name guest files (hostile text) and are never kept or shown.
import type { DuplicityCommand } from './duplicity/argv.js';

// The phases of a restore, in order.
export type RestorePhase = 'fetching' | 'applying metadata' | 'moving into place';

// One progress report; counts only while fetching.
export interface RestoreProgress {
  phase: RestorePhase;
  volumesDone?: number;
  volumesTotal?: number;
  files?: number;
}

const VOLUME = /^Processed volume (\d+) of (\d+)$/;
const WRITING = /^Writing .+ of type [a-z]+$/;

// The same command with duplicity's info level, which logs each volume and file written.
export function withProgressLog(command: DuplicityCommand): DuplicityCommand {
  return { ...command, args: command.args.map((arg) => (arg === '--verbosity=notice' ? '--verbosity=info' : arg)) };
}

// A line handler that turns duplicity's output into progress reports (one per volume, and
// one per 1000 files so a long volume still moves).
export function restoreProgressLines(report: (progress: RestoreProgress) => void): (line: string) => void {
  let files = 0;
  let volumesDone = 0;
  let volumesTotal: number | undefined;
  const emit = (): void => report({ phase: 'fetching', volumesDone, ...(volumesTotal ? { volumesTotal } : {}), files });
  return (line) => {
    const volume = VOLUME.exec(line);
    if (volume) {
      volumesDone = Number(volume[1]);
      volumesTotal = Number(volume[2]);
      emit();
    } else if (WRITING.test(line)) {
      files += 1;
      if (files % 1000 === 0) emit();
    }
  };
}
