// `lxc-backup status [--json]`: every container's state, asked of the running agent.
import { requestAgent } from '../control/client.js';
import { agentSocketPath } from '../control/socket-path.js';
import type { StatusReport } from '../daemon/status-report.js';
import { escapeControl, stringifyForTerminal } from '../text/escape-control.js';
import { EnvironmentError } from './errors.js';
import { jsonOption, policyOption, type Verb } from './verb.js';

// The status text table: one row per container, then the policy's problem if any.
export function formatStatusTable(report: StatusReport): string {
  const header = ['NAME', 'STATE', 'LAST SUCCESS', 'NEXT RUN', 'LAST ERROR'];
  const rows = report.containers.map((c) => [c.name, c.state, c.last_success ?? '-', c.next_run ?? (c.orphaned_since ? `orphaned ${c.orphaned_since}` : '-'), (c.last_error ?? '').split('\n')[0] ?? '']);
  // Names and reasons can come from a guest (directory names, config values, duplicity's
  // messages about guest files): escaped where each cell is rendered.
  for (const row of rows) row.forEach((cell, i) => (row[i] = escapeControl(cell)));
  const widths = header.map((_, i) => Math.max(header[i]!.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd();
  const policy = report.policy.valid ? `policy: ${report.policy.path} (valid)` : `policy: ${report.policy.path} INVALID, running the last good one:\n${report.policy.error ?? ''}`;
  const table = rows.length ? [line(header), ...rows.map(line)].join('\n') : 'no containers found';
  return `${table}\n\n${policy}`;
}

export const statusVerb: Verb = {
  words: ['status'],
  usage: 'status [--json]',
  summary: 'show every container\'s state (ok, running, pending, failing, stale, orphaned, disabled, unsupported) from the running agent',
  options: { policy: policyOption, json: jsonOption },
  positionals: { min: 0, max: 0 },
  async run(args, io) {
    const socket = agentSocketPath(io.env);
    const response = await requestAgent(socket, { type: 'status' }, { timeoutMs: 5000 }).catch((error: unknown) => {
      throw new EnvironmentError((error as Error).message);
    });
    if (response === undefined) throw new EnvironmentError(`no agent is running (nothing listens on ${socket}); start it with: systemctl start lxc-backup`);
    if (!response.ok) throw new EnvironmentError(`the agent refused the request: ${response.error}`);
    const report = response.status as StatusReport;
    io.out(args.options.json ? stringifyForTerminal(report, 2) : formatStatusTable(report));
  },
};
