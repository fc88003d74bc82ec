// Parses the "Backup Statistics" block a backup prints (stdout, or the NOTICE record in the machine log).

export interface BackupStatistics {
  elapsedSeconds: number;
  sourceFiles: number;
  sourceFileSize: number;
  newFiles: number;
  changedFiles: number;
  deletedFiles: number;
  rawDeltaSize: number;
  totalDestinationSizeChange: number;
  errors: number;
}

const FIELDS: Record<keyof BackupStatistics, string> = {
  elapsedSeconds: 'ElapsedTime',
  sourceFiles: 'SourceFiles',
  sourceFileSize: 'SourceFileSize',
  newFiles: 'NewFiles',
  changedFiles: 'ChangedFiles',
  deletedFiles: 'DeletedFiles',
  rawDeltaSize: 'RawDeltaSize',
  totalDestinationSizeChange: 'TotalDestinationSizeChange',
  errors: 'Errors',
};

// The statistics of a backup run, or undefined when the output has no statistics block (e.g. the run
// failed first). Lines are "Name VALUE (pretty)" in 0.8.22 and 3.0.x (statistics.py get_stats_string);
// a machine-log ". " prefix is tolerated. Throws when a block is there but a field is missing.
export function parseStatistics(output: string): BackupStatistics | undefined {
  const lines = output.split('\n').map((l) => l.replace(/^\. /, ''));
  const start = lines.findIndex((l) => /^-+\[ Backup Statistics \]-+$/.test(l.trim()));
  if (start < 0) return undefined;
  const values = new Map<string, number>();
  for (const line of lines.slice(start + 1)) {
    if (/^-+$/.test(line.trim())) break;
    const [, name, value] = /^(\w+) (-?\d+(?:\.\d+)?)(?: |$)/.exec(line.trim()) ?? [];
    if (name !== undefined) values.set(name, Number(value));
  }
  const stats = {} as BackupStatistics;
  for (const [key, name] of Object.entries(FIELDS) as Array<[keyof BackupStatistics, string]>) {
    const value = values.get(name);
    if (value === undefined) throw new Error(`duplicity statistics: no ${name} line in the Backup Statistics block`);
    stats[key] = value;
  }
  return stats;
}
