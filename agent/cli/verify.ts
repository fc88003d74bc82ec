// `lxc-backup verify NAME`: duplicity verify against the container as it is now.
import { verifyBackup } from '../engine/inspect.js';
import { withDecryptingKey } from '../engine/keys/job-key.js';
import { KeyError } from '../engine/keys/temporary-key.js';
import { CheckFailed, EnvironmentError } from './errors.js';
import { keyFromArgs, keyOptions } from './key-options.js';
import { cliJobContext } from './load-job-context.js';
import { policyOption, onlyPositional, type Verb } from './verb.js';

export const verifyVerb: Verb = {
  words: ['verify'],
  usage: 'verify NAME [--key FILE [--key-passphrase-file F]]',
  summary: 'check that the newest backup reads back and matches the container (duplicity verify)',
  options: { ...keyOptions, policy: policyOption },
  positionals: { min: 1, max: 1 },
  async run(args, io) {
    const name = onlyPositional(args);
    const key = await keyFromArgs(args);
    const ctx = await cliJobContext(args, io, name);
    // pubkey mode: verify decrypts every volume, so it needs the private key like a restore.
    const result = await withDecryptingKey(ctx, 'verify', key, verifyBackup).catch((error: unknown) => {
      throw error instanceof KeyError ? new EnvironmentError(error.message) : error;
    });
    if (!result.ok) {
      io.err(`${name}: ${result.message}`);
      throw new CheckFailed(`verify of ${name} found problems`);
    }
    io.out(`${name}: ${result.message}`);
  },
};
