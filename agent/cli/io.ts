// Where a CLI verb writes, injectable so tests can capture output without spawning.
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  // Whether stdout is a terminal (progress output only then).
  interactive: boolean;
}

// The real process streams.
export const processIo: CliIo = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  env: process.env,
  interactive: Boolean(process.stdout.isTTY),
};
