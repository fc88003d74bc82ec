// Durations use duplicity's own time syntax (`30D`, `2M`, `1h30m`) so a value in the
// policy means exactly what it means on duplicity's command line.

const UNIT_SECONDS: Record<string, number> = {
  s: 1,
  m: 60,
  h: 3600,
  D: 86_400,
  W: 7 * 86_400,
  M: 30 * 86_400, // duplicity counts a month as 30 days
  Y: 365 * 86_400, // and a year as 365 days
};

const DURATION = /^(?:\d+[smhDWMY])+$/;
const PART = /(\d+)([smhDWMY])/g;

// Whether a string is a duration duplicity accepts (one or more NUMBER+UNIT parts).
export function isDuration(text: string): boolean {
  return DURATION.test(text);
}

// Seconds in a duration string; throws on text isDuration rejects.
export function durationSeconds(text: string): number {
  if (!isDuration(text)) throw new Error(`expected a duration like 30D, got "${text}"`);
  let total = 0;
  for (const [, count, unit] of text.matchAll(PART)) total += Number(count) * (UNIT_SECONDS[unit ?? ''] ?? 0);
  return total;
}

// Human wording of what a duration looks like, shared by every error about one.
export const DURATION_HINT = 'a duration like 90s, 2m, 1h, 30D, 2W, 2M or 1Y (s m h D W M Y; m is minutes, M months)';
