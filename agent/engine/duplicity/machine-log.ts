// Reader for duplicity's machine-readable log (`--log-fd N` / `--log-file F`), shared by the parsers.
// Format (log.py MachineFormatter, same in 0.8.22 and 3.0.x):
//   LEVEL CODE[ EXTRA]      first control line; EXTRA may continue on following lines
//   more control lines      (collection-status puts its structured summary here)
//   . message line          the human text, every line prefixed with ". "
//   <empty line>            end of record
// LEVEL is DEBUG/INFO/NOTICE/WARNING/ERROR; 3.0.x names levels with logging.getLevelName(), so a
// record logged at a non-standard level shows up as e.g. "Level 8" — accepted here too.

export interface LogRecord {
  level: string;
  code: number;
  // Control line text after the code, then any further control lines.
  control: string[];
  // The human text, ". " prefixes removed, lines joined with "\n".
  message: string;
}

const HEADER = /^([A-Z]+|Level \d+) (\d+)(?: (.*))?$/;

// Splits machine-log text into records; lines outside a record (there should be none) are skipped.
export function parseMachineLog(text: string): LogRecord[] {
  const records: LogRecord[] = [];
  let current: { level: string; code: number; control: string[]; message: string[] } | undefined;
  const flush = (): void => {
    if (current) records.push({ level: current.level, code: current.code, control: current.control, message: current.message.join('\n') });
    current = undefined;
  };
  for (const line of text.split('\n')) {
    if (line === '') {
      flush();
      continue;
    }
    if (!current) {
      const m = HEADER.exec(line);
      if (!m) continue;
      const [, level = '', code, extra = ''] = m;
      current = { level, code: Number(code), control: [extra], message: [] };
      continue;
    }
    if (line === '.' || line.startsWith('. ')) current.message.push(line.slice(2));
    else current.control.push(line);
  }
  flush();
  return records;
}

// Whether text is a machine log rather than duplicity's human stdout (whose lines never start
// with an all-capitals word followed by a number).
export function isMachineLog(text: string): boolean {
  return parseMachineLog(text).length > 0;
}
