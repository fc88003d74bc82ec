// The containers a verb acts on: NAME… or --all, checked against what exists on disk.
import { hostname } from 'node:os';
import { exclusionOf } from '../daemon/container-rules.js';
import { readContainer, scanHostRoot } from '../discovery/scan.js';
import type { Policy } from '../policy/schema.js';
import { escapeControl } from '../core/escape-control.js';
import { EnvironmentError, UsageError } from './errors.js';
import type { CliIo } from './io.js';
import type { ParsedArgs } from './verb.js';
import { errnoCode, errorMessage } from '../core/error-message.js';

// Names from the command line, or every eligible container with --all (skips reported).
export async function targetNames(args: ParsedArgs, policy: Policy, io: CliIo, verb: string): Promise<string[]> {
  const all = args.options.all === true;
  if (all === args.positionals.length > 0) throw new UsageError(`expected: lxc-backup ${verb} NAME... or lxc-backup ${verb} --all`);
  if (!all) return args.positionals;
  const infos = await scanHostRoot(policy.host_root).catch((error: unknown) => {
    throw new EnvironmentError(`cannot read host_root ${policy.host_root}: ${errnoCode(error) ?? errorMessage(error)}`);
  });
  const eligible: string[] = [];
  for (const info of infos) {
    // The same rule the agent applies: ignored ones silently, the others with the reason.
    const exclusion = exclusionOf(policy, info.name, info, hostname());
    if (!exclusion) eligible.push(info.name);
    else if (exclusion.kind === 'unsupported') io.err(`${escapeControl(info.name)}: skipped (${escapeControl(exclusion.reason)})`);
    else if (exclusion.kind !== 'hidden')
      io.err(`${escapeControl(info.name)}: skipped (${exclusion.kind === 'self' ? 'the backup container itself' : 'enabled: false'})`);
  }
  return eligible;
}

// Refuses a container this policy cannot back up (unsupported rootfs); a missing one is
// allowed for read-only verbs, whose backups outlive the container.
export async function checkBackupSource(policy: Policy, name: string): Promise<string | undefined> {
  const info = await readContainer(policy.host_root, name).catch(() => undefined);
  if (!info) return `${name}: no container at ${policy.host_root}/${name} (expected a directory with an LXC config)`;
  return info.unsupported ? `${name}: ${info.unsupported}` : undefined;
}
