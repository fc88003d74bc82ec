// `lxc-backup files NAME [--time T]`: the files in a backup.
import { listBackupFiles } from '../engine/inspect.js';
import { escapeControl, stringifyForTerminal } from '../core/escape-control.js';
import { withDecryptingKey } from '../engine/keys/job-key.js';
import { CheckFailed } from './errors.js';
import { keyFromArgs, keyOptions } from './key-options.js';
import { cliJobContext } from './load-job-context.js';
import { jsonOption, policyOption, onlyPositional, type Verb } from './verb.js';
import { errorMessage } from '../core/error-message.js';

export const filesVerb: Verb = {
  words: ['files'],
  usage: 'files NAME [--time T] [--json] [--key FILE]',
  summary: 'list the files of the newest backup, or of the one at time T (paths relative to the container directory)',
  options: {
    time: { type: 'string', value: 'T', description: 'a duplicity time: 2026-11-01T03:00:00, 3D (three days ago), now' },
    ...keyOptions,
    policy: policyOption,
    json: jsonOption,
  },
  positionals: { min: 1, max: 1 },
  async run(args, io) {
    const name = onlyPositional(args);
    const key = await keyFromArgs(args);
    const ctx = await cliJobContext(args, io, name);
    const time = typeof args.options.time === 'string' ? args.options.time : undefined;
    // pubkey mode reads the archive cache with no key; --key only for a cache that lacks the chain asked for.
    const list = key ? withDecryptingKey(ctx, 'files', key, (keyed) => listBackupFiles(keyed, time)) : listBackupFiles(ctx, time);
    const files = await list.catch((error: unknown) => {
      io.err(escapeControl(errorMessage(error)));
      throw new CheckFailed(`cannot list the files of ${escapeControl(name)}`);
    });
    // File names are the guest's: escaped, so none can drive the terminal or fake a line.
    if (args.options.json) io.out(stringifyForTerminal(files));
    else io.out(files.map((file) => `${file.time}  ${file.path === '' ? '.' : escapeControl(file.path)}`).join('\n'));
  },
};
