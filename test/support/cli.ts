// Runs the lxc-backup CLI in-process (the same code the bundle runs) and captures output.
import { runCli } from '../../agent/cli/run.js';
import { VERBS } from '../../agent/cli/verb-registry.js';

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

// `lxc-backup ...argv` with `env` as its environment.
export async function runLxcBackup(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  let out = '';
  let err = '';
  const io = { out: (t: string) => (out += `${t}\n`), err: (t: string) => (err += `${t}\n`), env, interactive: false };
  const code = await runCli(argv, VERBS, io);
  return { code, out, err };
}
