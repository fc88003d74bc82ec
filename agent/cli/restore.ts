// `lxc-backup restore NAME --to DIR [--time T] [--path P] [--force]`.
import { RestoreError, restoreContainer } from '../engine/restore.js';
import { withDecryptingKey } from '../engine/keys/job-key.js';
import { KeyError } from '../engine/keys/temporary-key.js';
import { CheckFailed, EnvironmentError, UsageError } from './errors.js';
import { keyFromArgs, keyOptions } from './key-options.js';
import { cliJobContext } from './load-job-context.js';
import { createRestoreView, formatElapsed } from './restore-progress-view.js';
import { policyOption, onlyPositional, type Verb } from './verb.js';

export const restoreVerb: Verb = {
  words: ['restore'],
  usage: 'restore NAME --to DIR [--time T] [--path P] [--force] [--key FILE [--key-passphrase-file F]]',
  summary: 'restore a container directory (config, rootfs) or one path in it into DIR, with numeric owners, xattrs, ACLs, hard links',
  options: {
    to: { type: 'string', value: 'DIR', description: 'where to put it (must be empty unless --force)' },
    time: { type: 'string', value: 'T', description: 'restore the backup as of T: 2026-11-01T03:00:00, 3D (three days ago)' },
    path: { type: 'string', value: 'P', description: 'only this path, relative to the container directory (e.g. rootfs/etc)' },
    force: { type: 'boolean', description: 'replace what DIR (or DIR/P) holds' },
    ...keyOptions,
    policy: policyOption,
  },
  positionals: { min: 1, max: 1 },
  async run(args, io) {
    const name = onlyPositional(args);
    const to = args.options.to;
    if (typeof to !== 'string' || to === '') throw new UsageError('expected --to DIR (where to restore)');
    const key = await keyFromArgs(args);
    const ctx = await cliJobContext(args, io, name);
    const { time, path } = args.options;
    // Redrawn in place only when both our streams are a terminal; plain lines otherwise.
    const terminal = io.interactive && process.stderr.isTTY === true;
    const view = createRestoreView(name, {
      terminal,
      write: terminal ? (text) => process.stderr.write(text) : (text) => io.err(text.replace(/\n$/, '')),
    });
    const started = Date.now();
    try {
      const result = await withDecryptingKey(ctx, 'restore', key, (keyed) =>
        restoreContainer(keyed, {
          destination: to,
          ...(typeof time === 'string' ? { time } : {}),
          ...(typeof path === 'string' ? { path } : {}),
          force: args.options.force === true,
          onStep: (message) => (terminal ? undefined : io.err(`${name}: ${message}`)),
          onProgress: (progress) => view.update(progress),
        }),
      );
      view.close();
      const m = result.metadata;
      // Skipped: metadata entries outside --path, not restored, or reached only through a symlink.
      const skipped = m.skipped > 0 ? `; ${m.skipped} metadata entries skipped` : '';
      io.out(
        `${name}: restored to ${result.restoredTo} in ${formatElapsed(Date.now() - started)} (${m.xattrFiles} with xattrs, ${m.linked} hard links, ${m.sparse} sparse files${skipped})`,
      );
    } catch (error) {
      view.close();
      if (error instanceof KeyError) throw new EnvironmentError(error.message);
      if (error instanceof RestoreError) {
        io.err(error.message);
        throw new CheckFailed(`restore of ${name} failed; nothing was written to ${to}`);
      }
      throw error;
    }
  },
};
