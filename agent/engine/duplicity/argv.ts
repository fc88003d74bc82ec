// Pure builder: (container policy, layout, version, action) → duplicity argv + environment.
// No shell ever; secrets only in the environment (duplicity reads PASSPHRASE,
// SIGN_PASSPHRASE, FTP_PASSWORD and AWS_* itself), never in argv.
import type { ContainerPolicy } from '../../policy/resolve.js';
import type { Settings } from '../../policy/schema.js';
import { targetScheme } from '../../policy/target.js';
import { pathInBackup, type ContainerLayout } from './layout.js';
import { literalPattern } from './literal-pattern.js';
import { stretchingGpgOptions } from './key-stretching.js';
import { hasModernCli, type DuplicityVersion } from './version.js';

export interface BuildInput {
  container: ContainerPolicy;
  layout: ContainerLayout;
  version: DuplicityVersion;
  // Resolves a `${NAME}` reference to its value (throws when unset).
  secret: (reference: string) => string;
  // pubkey mode: the passphrase of a private key brought in for a restore (keys/temporary-key.ts).
  keyPassphrase?: string;
}

export interface DuplicityCommand {
  // The program to start and its arguments (duplicity, possibly behind nice/ionice).
  file: string;
  args: string[];
  env: Record<string, string>;
  // duplicity writes its machine-readable log to file descriptor 3 (--log-fd=3).
  machineLog?: boolean;
}

const COMPRESSION_GPG_OPTIONS: Record<Settings['compression'], string | undefined> = {
  fast: '--compress-level=1',
  default: undefined,
  best: '--compress-level=9',
  none: '--compress-level=0',
};

function encryptionArgs(input: BuildInput): string[] {
  const { encryption, compression } = input.container.settings;
  if (encryption.mode === 'none') return ['--no-encryption'];
  const args: string[] = [];
  const gpgOptions = [COMPRESSION_GPG_OPTIONS[compression]];
  // Only a derived yes/no about the passphrase reaches argv, never the passphrase.
  if (encryption.mode === 'symmetric')
    gpgOptions.push(...stretchingGpgOptions(encryption.stretching ?? 'full', input.secret(encryption.passphrase)));
  if (encryption.mode === 'pubkey') {
    for (const key of encryption.encrypt_keys) args.push(`--encrypt-key=${key}`);
    if (encryption.sign_key) args.push(`--sign-key=${encryption.sign_key}`);
    // The policy names these keys: a key imported without ownertrust would be "unusable".
    gpgOptions.push('--trust-model=always');
  }
  // One --gpg-options, split at spaces by duplicity: not every version appends repeated ones.
  const joined = gpgOptions.filter((option) => option !== undefined).join(' ');
  return joined ? [...args, `--gpg-options=${joined}`] : args;
}

function targetArgs(settings: Settings, target: string): string[] {
  const scheme = targetScheme(target);
  const args: string[] = [];
  if (scheme === 's3' || scheme === 'boto3+s3') {
    if (settings.s3.endpoint_url) args.push(`--s3-endpoint-url=${settings.s3.endpoint_url}`);
    if (settings.s3.region) args.push(`--s3-region-name=${settings.s3.region}`);
  }
  if (scheme === 'sftp') {
    const ssh: string[] = [];
    if (settings.sftp.identity_file) ssh.push(`-oIdentityFile=${settings.sftp.identity_file}`);
    if (settings.sftp.known_hosts_file) ssh.push(`-oUserKnownHostsFile=${settings.sftp.known_hosts_file}`);
    // One argv element with `=`: duplicity 3's argparse would read a separate `-o…` as an option.
    if (ssh.length) args.push(`--ssh-options=${ssh.join(' ')}`);
  }
  return args;
}

// The environment duplicity needs: secrets and the GnuPG home, nothing else of ours.
export function duplicityEnv(input: BuildInput): Record<string, string> {
  const { settings } = input.container;
  const env: Record<string, string> = { GNUPGHOME: input.layout.gnupgHome };
  const { encryption, credentials } = settings;
  if (encryption.mode === 'symmetric') env.PASSPHRASE = input.secret(encryption.passphrase);
  if (encryption.mode === 'pubkey') {
    if (encryption.sign_passphrase) env.SIGN_PASSPHRASE = input.secret(encryption.sign_passphrase);
    // Always set: unset, duplicity prompts for it; non-empty, it decrypts remote manifests
    // (no private key here). Only a key brought in for a restore has one.
    env.PASSPHRASE = input.keyPassphrase ?? '';
  }
  if (credentials.password) env.FTP_PASSWORD = input.secret(credentials.password);
  if (credentials.aws_access_key_id) {
    const id = credentials.aws_access_key_id;
    env.AWS_ACCESS_KEY_ID = id.startsWith('${') ? input.secret(id) : id;
  }
  if (credentials.aws_secret_access_key) env.AWS_SECRET_ACCESS_KEY = input.secret(credentials.aws_secret_access_key);
  return env;
}

// Options every duplicity action for this container shares.
function commonArgs(input: BuildInput): string[] {
  const { layout, container } = input;
  return [
    `--archive-dir=${layout.archiveDir}`,
    `--name=${layout.name}`,
    `--tempdir=${layout.tempDir}`,
    '--verbosity=notice',
    // duplicity's default is 5 attempts 30 s apart; the agent probes the target first instead.
    `--num-retries=${container.settings.target_retries}`,
    ...encryptionArgs(input),
    ...targetArgs(container.settings, container.target),
  ];
}

// duplicity behind nice/ionice so nightly backups do not starve the containers they protect.
function withPriority(settings: Settings, args: string[]): Pick<DuplicityCommand, 'file' | 'args'> {
  const { nice, io_class: ioClass, io_level: ioLevel } = settings.priority;
  const ionice = ioClass === 'none' ? [] : ioClass === 'idle' ? ['ionice', '-c', '3'] : ['ionice', '-c', '2', '-n', String(ioLevel)];
  return { file: 'nice', args: ['-n', String(nice), ...ionice, 'duplicity', ...args] };
}

function command(input: BuildInput, args: string[]): DuplicityCommand {
  return { ...withPriority(input.container.settings, args), env: duplicityEnv(input) };
}

// What a backup (and verify) reads from the source `/`: the container minus its excludes, and
// its metadata directory. duplicity tries these in order for every file and takes the first
// match, so the container, which holds nearly every file, comes before the metadata: one
// pattern test fewer per file. The two directories are disjoint, so the order selects the same.
function selectionArgs(layout: ContainerLayout): string[] {
  return [
    `--exclude-filelist=${layout.excludeFile}`,
    `--include=${literalPattern(layout.containerDir)}`,
    `--include=${literalPattern(layout.metaDir)}`,
    '--exclude=**',
  ];
}

// Back up the container directory and its metadata directory in one backup set.
export function buildBackup(input: BuildInput, options: { full?: boolean; progress?: boolean } = {}): DuplicityCommand {
  const { settings, target } = input.container;
  const { layout } = input;
  const action = options.full ? ['full'] : hasModernCli(input.version) ? ['backup'] : [];
  const args = [
    ...action,
    ...commonArgs(input),
    `--volsize=${settings.volsize}`,
    ...(settings.full_every && !options.full ? [`--full-if-older-than=${settings.full_every}`] : []),
    ...(options.progress ? ['--progress'] : []),
    ...selectionArgs(layout),
    '/',
    target,
  ];
  return command(input, args);
}

// Retention, one duplicity run per rule; always with --force (without it duplicity only lists).
export function buildPrune(input: BuildInput): DuplicityCommand[] {
  const { retention } = input.container.settings;
  const runs: Array<[verb: string, value: string]> = [];
  if (retention.older_than) runs.push(['remove-older-than', retention.older_than]);
  if (retention.keep_full) runs.push(['remove-all-but-n-full', String(retention.keep_full)]);
  if (retention.keep_incrementals_of_full) runs.push(['remove-all-inc-of-but-n-full', String(retention.keep_incrementals_of_full)]);
  return runs.map(([verb, value]) => command(input, [verb, value, ...commonArgs(input), '--force', input.container.target]));
}

// cleanup --force: deletes the files of incomplete sets (no manifest) from the target.
export function buildCleanup(input: BuildInput): DuplicityCommand {
  return command(input, ['cleanup', ...commonArgs(input), '--force', input.container.target]);
}

// collection-status: the chains and sets on the target, with exact UTC times from the machine log.
export function buildCollectionStatus(input: BuildInput): DuplicityCommand {
  return { ...command(input, ['collection-status', ...commonArgs(input), '--log-fd=3', input.container.target]), machineLog: true };
}

// list-current-files, optionally at a time (--restore-time: the spelling both 0.8 and 3.x accept).
// With the machine log, whose names are escaped: on stdout a guest's file name holding a newline
// and a date reads as a second, made-up entry.
export function buildListFiles(input: BuildInput, time?: string): DuplicityCommand {
  const args = [
    'list-current-files',
    ...commonArgs(input),
    '--log-fd=3',
    ...(time ? [`--restore-time=${time}`] : []),
    input.container.target,
  ];
  return { ...command(input, args), machineLog: true };
}

// verify: compare the newest backup with the container as it is now.
export function buildVerify(input: BuildInput): DuplicityCommand {
  const { layout } = input;
  return command(input, ['verify', ...commonArgs(input), ...selectionArgs(layout), input.container.target, '/']);
}

// restore: the path (relative to the backup root) at a time into `destination`.
export function buildRestore(input: BuildInput, options: { destination: string; pathInArchive?: string; time?: string }): DuplicityCommand {
  const pathOption = hasModernCli(input.version) ? '--path-to-restore' : '--file-to-restore';
  return command(input, [
    'restore',
    ...commonArgs(input),
    '--numeric-owner',
    ...(options.pathInArchive ? [`${pathOption}=${pathInBackup(options.pathInArchive)}`] : []),
    ...(options.time ? [`--restore-time=${options.time}`] : []),
    input.container.target,
    options.destination,
  ]);
}
