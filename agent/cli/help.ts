// Help text generated from the verb table.
import type { Verb } from './verb.js';

function optionLines(verb: Verb): string[] {
  return Object.entries(verb.options).map(([name, spec]) => {
    const flag = `--${name}${spec.type === 'string' ? ` ${spec.value ?? 'VALUE'}` : ''}`;
    return `  ${flag.padEnd(22)} ${spec.description}`;
  });
}

// `lxc-backup VERB --help`.
export function verbHelp(verb: Verb): string {
  return [
    `usage: lxc-backup ${verb.usage}`,
    '',
    verb.summary,
    '',
    'options:',
    ...optionLines(verb),
    '  --help                 show this help',
  ].join('\n');
}

// `lxc-backup --help`.
export function mainHelp(verbs: readonly Verb[]): string {
  const rows = verbs.map((verb) => `  ${verb.usage.padEnd(48)} ${verb.summary}`);
  return [
    'usage: lxc-backup VERB [ARGS] [--policy FILE] [--json]',
    '',
    'Incremental, encrypted duplicity backups of every LXC container on this host.',
    '',
    'verbs:',
    ...rows,
    '',
    "Run `lxc-backup VERB --help` for a verb's options.",
    'Exit codes: 0 ok, 1 the thing checked is bad (invalid policy, failed backup), 2 usage or environment error.',
  ].join('\n');
}
