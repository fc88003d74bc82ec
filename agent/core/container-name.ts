// Which directory names under host_root can be containers the agent backs up. A name reaches
// duplicity's include globs, target URLs, file names under state_dir and every output line,
// and a guest-influenced directory name is hostile: `*?[` would make it a glob that selects
// other containers, `/`, `%` or `{}` would change a URL, control characters would forge output.
import { escapeControl } from './escape-control.js';

// What LXC itself accepts in practice, minus everything that is special somewhere downstream.
const NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;
// NAME_MAX of the file systems the name is also a file name on.
const MAX_LENGTH = 255;

// Why `name` cannot be backed up as a container, or undefined when it is fine.
export function containerNameProblem(name: string): string | undefined {
  if (NAME.test(name) && name.length <= MAX_LENGTH) return undefined;
  const shown = escapeControl(name.length > 80 ? `${name.slice(0, 80)}…` : name);
  return `container name "${shown}" is not supported: expected letters, digits, ".", "_", "+" and "-" (starting with a letter or digit, at most ${MAX_LENGTH} characters)`;
}

// Throws when `name` is not a valid container name (the message names it, escaped).
export function assertContainerName(name: string): void {
  const problem = containerNameProblem(name);
  if (problem) throw new Error(problem);
}
