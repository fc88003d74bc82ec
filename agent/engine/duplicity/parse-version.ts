// Parses `duplicity --version`.
import type { DuplicityVersion } from './version.js';

// "duplicity 0.8.22" -> 0.8.22; "duplicity 3.0.3.2" -> 3.0.3 (text keeps all four parts); undefined
// if the output names no version.
export function parseVersion(output: string): DuplicityVersion | undefined {
  const m = /\bduplicity (?:version )?(\d+)\.(\d+)(?:\.(\d+))?([.\w+-]*)/i.exec(output);
  if (!m) return undefined;
  const text = `${m[1]}.${m[2]}${m[3] === undefined ? '' : `.${m[3]}`}${m[4] ?? ''}`;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0), text };
}
