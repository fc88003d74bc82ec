// Time strings duplicity prints, turned into ISO-8601 UTC.

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// "20261128T152412Z" (dup_time.timetostring, machine log) -> "2026-11-28T15:24:12Z"; undefined if not one.
export function fromDuplicityTime(text: string): string | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`;
}

// Matches Python's time.asctime(): "Sat Nov 28 15:24:12 2026", day padded with a space ("Nov  1").
export const CTIME_PATTERN = '[A-Z][a-z]{2} ([A-Z][a-z]{2}) ([ \\d]\\d) (\\d{2}):(\\d{2}):(\\d{2}) (\\d{4})';

// asctime text (human output, dup_time.timetopretty) -> ISO-8601, read as UTC: duplicity prints local
// time, so this is only right when duplicity ran with TZ=UTC (the runner sets it). Undefined if not one.
export function fromCtime(text: string): string | undefined {
  const m = new RegExp(`^${CTIME_PATTERN}$`).exec(text.trim());
  if (!m) return undefined;
  const [, monthName = '', day = '', hours, minutes, seconds, year] = m;
  const month = MONTHS.indexOf(monthName);
  if (month < 0) return undefined;
  return `${year}-${String(month + 1).padStart(2, '0')}-${day.trim().padStart(2, '0')}T${hours}:${minutes}:${seconds}Z`;
}
