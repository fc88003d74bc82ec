// The containers a verb acts on: NAME… or --all, checked against what exists on disk.
import { readContainer, scanHostRoot } from '../discovery/scan.js';
import { selectContainers } from '../backup/select.js';
import type { Policy } from '../policy/schema.js';
import { EnvironmentError, UsageError } from './errors.js';
import type { CliIo } from './io.js';
import type { ParsedArgs } from './verb.js';

// Names from the command line, or every eligible container with --all (skips reported).
export async function targetNames(args: ParsedArgs, policy: Policy, io: CliIo, verb: string): Promise<string[]> {
  const all = args.options.all === true;
  if (all === (args.positionals.length > 0)) throw new UsageError(`expected: lxc-backup ${verb} NAME... or lxc-backup ${verb} --all`);
  if (!all) return args.positionals;
  const infos = await scanHostRoot(policy.host_root).catch((error: NodeJS.ErrnoException) => {
    throw new EnvironmentError(`cannot read host_root ${policy.host_root}: ${error.code ?? error.message}`);
  });
  const selection = selectContainers(policy, infos);
  for (const { info, detail } of selection.skipped) io.err(`${info.name}: skipped (${detail})`);
  return selection.eligible.map((info) => info.name);
}

// Refuses a container this policy cannot back up (unsupported rootfs); a missing one is
// allowed for read-only verbs, whose backups outlive the container.
export async function checkBackupSource(policy: Policy, name: string): Promise<string | undefined> {
  const info = await readContainer(policy.host_root, name).catch(() => undefined);
  if (!info) return `${name}: no container at ${policy.host_root}/${name} (expected a directory with an LXC config)`;
  return info.unsupported ? `${name}: ${info.unsupported}` : undefined;
}
