// `--key FILE|-` and `--key-passphrase-file FILE|-`: the private key a pubkey-mode restore (or
// drill) brings in. `--key -` reads it from stdin (scripts/restore pipes it in, so no file is
// left in the backup container); with `--key-passphrase-file -` too, stdin's first line is the
// passphrase and the rest the key. A protected key with neither is asked for on the terminal.
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { BroughtKey } from '../engine/keys/job-key.js';
import { errorMessage } from '../core/error-message.js';
import { UsageError } from './errors.js';
import type { OptionSpec, ParsedArgs } from './verb.js';

const MAX_KEY_BYTES = 1024 * 1024;

// The two options, for a verb's option table.
export const keyOptions: Record<string, OptionSpec> = {
  key: {
    type: 'string',
    value: 'FILE',
    description: 'pubkey mode: the private key (exported, armored) to decrypt with, used once and wiped; - reads stdin',
  },
  'key-passphrase-file': {
    type: 'string',
    value: 'F',
    description: "the key's passphrase (first line of F; - : the first line of stdin, before the key); else asked on the terminal",
  },
};

// The key the command line brings, or undefined without --key.
export async function keyFromArgs(args: ParsedArgs, stdin: NodeJS.ReadableStream = process.stdin): Promise<BroughtKey | undefined> {
  const { key, 'key-passphrase-file': passFile } = args.options;
  if (key === undefined) {
    if (passFile !== undefined) throw new UsageError('--key-passphrase-file needs --key FILE');
    return undefined;
  }
  if (typeof key !== 'string' || key === '') throw new UsageError('expected --key FILE (or - for stdin)');
  if (passFile === '-' && key !== '-') throw new UsageError('--key-passphrase-file - reads stdin, which only --key - also reads');
  let material = key === '-' ? await readBounded(stdin, 'stdin') : await readKeyFile(key);
  let passphrase: string | undefined;
  if (passFile === '-') {
    const newline = material.indexOf('\n');
    if (newline < 0) throw new UsageError('expected the passphrase on the first line of stdin, then the key');
    passphrase = material.subarray(0, newline).toString('utf8').replace(/\r$/, '');
    material = material.subarray(newline + 1);
  } else if (typeof passFile === 'string') {
    passphrase = await readPassphraseFile(passFile);
  }
  const source = key === '-' ? 'stdin' : key;
  const terminal = process.stdin.isTTY === true && key !== '-' ? { askPassphrase: askOnTerminal } : {};
  return { key: material, source, ...(passphrase !== undefined ? { passphrase } : terminal) };
}

async function readKeyFile(path: string): Promise<Buffer> {
  const data = await readFile(path).catch((error: unknown) => {
    throw new UsageError(`cannot read --key ${path}: ${errorMessage(error)}`);
  });
  if (data.length > MAX_KEY_BYTES) throw new UsageError(`--key ${path} is ${data.length} bytes: expected an exported key (at most 1 MiB)`);
  return data;
}

async function readPassphraseFile(path: string): Promise<string> {
  const data = await readFile(path, 'utf8').catch((error: unknown) => {
    throw new UsageError(`cannot read --key-passphrase-file ${path}: ${errorMessage(error)}`);
  });
  return data.split('\n')[0]?.replace(/\r$/, '') ?? '';
}

async function readBounded(stream: NodeJS.ReadableStream, what: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_KEY_BYTES) throw new UsageError(`${what} holds more than 1 MiB: expected an exported key`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

// Reads the passphrase from the terminal without echoing it.
function askOnTerminal(): Promise<string> {
  const prompt = 'Passphrase of the private key: ';
  const output = process.stderr;
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  // Echo nothing but the prompt while the passphrase is typed.
  (rl as unknown as { _writeToOutput: (text: string) => void })._writeToOutput = (text: string) => {
    if (text.startsWith(prompt)) output.write(prompt);
  };
  return new Promise((resolve) => {
    rl.question(prompt, (answer) => {
      rl.close();
      output.write('\n');
      resolve(answer);
    });
  });
}
