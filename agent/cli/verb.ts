// The shape every CLI verb file exports, so help and dispatch are generated from one table.
import { UsageError } from './errors.js';
import type { CliIo } from './io.js';

export interface OptionSpec {
  type: 'boolean' | 'string';
  short?: string;
  multiple?: boolean;
  // Placeholder shown in help for string options, e.g. FILE.
  value?: string;
  description: string;
}

export interface ParsedArgs {
  positionals: string[];
  options: Record<string, string | boolean | string[] | undefined>;
}

export interface Verb {
  // Words that select the verb, e.g. ['policy', 'check'].
  words: string[];
  usage: string;
  summary: string;
  options: Record<string, OptionSpec>;
  // Allowed positional count.
  positionals: { min: number; max: number };
  run(args: ParsedArgs, io: CliIo): Promise<void>;
}

// The --policy option every verb shares.
export const policyOption: OptionSpec = {
  type: 'string',
  value: 'FILE',
  description: 'policy file (default: $LXC_BACKUP_POLICY or /etc/lxc-backup/policy.yaml)',
};

// The --json option of every verb that prints data.
export const jsonOption: OptionSpec = { type: 'boolean', description: 'print JSON instead of text' };

// The policy path a verb should use.
export function policyPath(args: ParsedArgs, io: CliIo): string {
  const given = args.options.policy;
  return typeof given === 'string' ? given : (io.env.LXC_BACKUP_POLICY ?? '/etc/lxc-backup/policy.yaml');
}

// The one NAME of a verb declared with positionals { min: 1, max: 1 } (runCli has checked the count).
export function onlyPositional(args: ParsedArgs): string {
  const [name] = args.positionals;
  if (name === undefined) throw new UsageError('expected a NAME argument, got none');
  return name;
}
