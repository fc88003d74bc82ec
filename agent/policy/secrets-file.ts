// Reads the secrets file for use (not for checking: see load.ts checkSecrets). Read fresh at
// each use, so an edit needs no restart; a missing file is fine when the environment has them.
import { readFile } from 'node:fs/promises';
import { parseSecretsFile } from './secrets.js';

// The KEY=value pairs of `file`; empty when it does not exist; a one-line error otherwise.
export async function readSecretValues(file: string): Promise<Map<string, string>> {
  try {
    return parseSecretsFile(await readFile(file, 'utf8')).values;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw new Error(`cannot read secrets file ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}
