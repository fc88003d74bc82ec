// Dispatches a command line to its verb and turns errors into exit codes.
import { parseArgs } from 'node:util';
import { knownExitCode, UsageError } from './errors.js';
import { mainHelp, verbHelp } from './help.js';
import type { CliIo } from './io.js';
import type { ParsedArgs, Verb } from './verb.js';
import { errorMessage } from '../core/error-message.js';

function findVerb(verbs: readonly Verb[], argv: readonly string[]): Verb | undefined {
  return [...verbs].sort((a, b) => b.words.length - a.words.length).find((verb) => verb.words.every((word, index) => argv[index] === word));
}

function parseVerbArgs(verb: Verb, rest: string[]): ParsedArgs & { help: boolean } {
  const options = Object.fromEntries(
    Object.entries(verb.options).map(([name, spec]) => [
      name,
      { type: spec.type, multiple: spec.multiple ?? false, ...(spec.short ? { short: spec.short } : {}) },
    ]),
  );
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: rest,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(`${errorMessage(error).split('\n')[0]} (see: lxc-backup ${verb.words.join(' ')} --help)`);
  }
  const { help, ...values } = parsed.values as Record<string, string | boolean | string[] | undefined>;
  return { positionals: parsed.positionals, options: values, help: help === true };
}

// Runs one command line; resolves to the process exit code.
export async function runCli(argv: readonly string[], verbs: readonly Verb[], io: CliIo): Promise<number> {
  try {
    if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
      io.out(mainHelp(verbs));
      return argv.length === 0 ? 2 : 0;
    }
    const verb = findVerb(verbs, argv);
    if (!verb) throw new UsageError(`unknown verb "${argv.slice(0, 2).join(' ')}" (see: lxc-backup --help)`);
    const args = parseVerbArgs(verb, argv.slice(verb.words.length));
    if (args.help) {
      io.out(verbHelp(verb));
      return 0;
    }
    const { min, max } = verb.positionals;
    if (args.positionals.length < min || args.positionals.length > max) {
      throw new UsageError(`expected: lxc-backup ${verb.usage}, got ${args.positionals.length} argument(s)`);
    }
    await verb.run(args, io);
    return 0;
  } catch (error) {
    const code = knownExitCode(error);
    if (code === undefined) {
      io.err(`lxc-backup: internal error: ${(error instanceof Error ? error.stack : undefined) ?? String(error)}`);
      return 70;
    }
    io.err(`lxc-backup: ${errorMessage(error)}`);
    return code;
  }
}
