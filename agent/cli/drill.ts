// `lxc-backup drill NAME [--time T] [--full] [--boot] [--json] [--key FILE]`: restore the backup
// into scratch, check it against what the backup recorded, report the restore time, and remove
// the scratch. A plain `drill NAME` goes to the running agent (as `backup` does), so its result
// reaches state.json and status; any option, or none running, runs it here.
import { durationMs } from '../policy/duration.js';
import { helperBootTester, helperSocketPath } from '../engine/drill/boot.js';
import { drillContainer, DrillRefused, type DrillResult } from '../engine/drill/drill.js';
import { formatBytes } from '../engine/drill/free-space.js';
import { stringifyForTerminal } from '../core/escape-control.js';
import { CheckFailed, EnvironmentError } from './errors.js';
import { cliJobContext } from './load-job-context.js';
import { keyFromArgs, keyOptions } from './key-options.js';
import { withDrillKey } from '../engine/drill/drill-key.js';
import { KeyError } from '../engine/keys/temporary-key.js';
import { jsonOption, onlyPositional, type ParsedArgs, policyOption, type Verb } from './verb.js';
import { directOption, handOverToAgent } from './via-agent.js';
import { drillsOff } from '../daemon/drill-plan.js';
import type { Settings } from '../policy/schema.js';

export const drillVerb: Verb = {
  words: ['drill'],
  usage: 'drill NAME [--time T] [--full] [--boot] [--json] [--key FILE [--key-passphrase-file F]] [--direct]',
  summary: 'restore drill: restore into scratch, check sampled files and tree totals against the backup, report the restore time',
  options: {
    time: { type: 'string', value: 'T', description: 'drill the backup as of T (default: the newest complete one)' },
    full: { type: 'boolean', description: 'read every restored file through, not only the sample' },
    boot: { type: 'boolean', description: 'also boot it without network through the host helper (default: policy verify.boot)' },
    json: jsonOption,
    ...keyOptions,
    direct: directOption,
    policy: policyOption,
  },
  positionals: { min: 1, max: 1 },
  async run(args, io) {
    const name = onlyPositional(args);
    const key = await keyFromArgs(args);
    const ctx = await cliJobContext(args, io, name);
    if (agentMayRun(args, ctx.container.settings) && (await handOverToAgent('drill', args, io))) return;
    const { time } = args.options;
    const verify = ctx.container.settings.verify;
    const boot = args.options.boot === true || verify.boot;
    let result: DrillResult;
    try {
      result = await withDrillKey(ctx, key, (keyed) =>
        drillContainer(keyed, {
          restore: {
            ...(typeof time === 'string' ? { time } : {}),
            ...(args.options.json === true ? {} : { onStep: (message: string) => io.err(`${name}: ${message}`) }),
          },
          full: args.options.full === true,
          ...(boot ? { boot: { tester: helperBootTester(helperSocketPath(io.env)), timeoutS: bootTimeoutS(verify.timeout) } } : {}),
        }),
      );
    } catch (error) {
      if (error instanceof DrillRefused) throw new EnvironmentError(`${name}: ${error.message}`);
      if (error instanceof KeyError) throw new EnvironmentError(error.message);
      throw error;
    }
    if (args.options.json === true) io.out(stringifyForTerminal(result, 2));
    else for (const line of describeDrill(name, result)) (result.ok ? io.out : io.err)(line);
    if (!result.ok) throw new CheckFailed(`drill of ${name} failed`);
  },
};

// Whether a plain drill goes to the agent: not with options the agent's drill does not take
// (a brought key, --time, --full, --boot, --json), nor where the agent has no key to drill with
// (it would fail there; here it fails at once, saying how to pass one).
function agentMayRun(args: ParsedArgs, settings: Settings): boolean {
  const local = ['time', 'full', 'boot', 'json', 'key'].some((option) => args.options[option] !== undefined);
  return !local && drillsOff(settings)?.cause !== 'no_key';
}

// A boot gets at most 10 minutes (the helper's limit) and at most the drill's own timeout.
function bootTimeoutS(timeout: string): number {
  return Math.max(1, Math.min(600, Math.floor(durationMs(timeout) / 1000)));
}

// The human lines of a drill result.
export function describeDrill(name: string, r: DrillResult): string[] {
  const rate = `${formatBytes(r.throughput)}/s`;
  const lines = [
    `${name}: drill ${r.ok ? 'passed' : 'FAILED'} in ${(r.durationMs / 1000).toFixed(1)} s (restore ${(r.restoreMs / 1000).toFixed(1)} s, ${formatBytes(r.bytes)}, ${rate})`,
    `${name}: ${r.sampled} sampled file(s) checked${r.hashed > 0 ? `, ${r.hashed} read through` : ''}, ${r.mismatches} mismatch(es)${r.booted === undefined ? '' : `, booted: ${r.booted ? 'yes' : 'no'} (${r.bootDetail ?? ''})`}`,
  ];
  for (const m of r.examples) lines.push(`${name}:   ${m.path}: ${m.problem}`);
  if (r.failure && r.mismatches === 0) lines.push(`${name}: ${r.failure}`);
  for (const note of r.notes ?? []) lines.push(`${name}: note: ${note}`);
  return lines;
}
