// The pure duplicity argv/env builder: every policy setting lands where duplicity reads it,
// and no secret ever reaches argv.
import { describe, expect, it } from 'vitest';
import { buildBackup, buildCleanup, buildPrune, buildRestore, type BuildInput } from '../../../../agent/engine/duplicity/argv.js';
import { containerLayout, excludeFilelist } from '../../../../agent/engine/duplicity/layout.js';
import { parsePolicy } from '../../../../agent/policy/parse.js';
import { resolveContainer } from '../../../../agent/policy/resolve.js';

const SECRETS: Record<string, string> = {
  PASSPHRASE: 'pass-SECRET-1',
  B2_KEY: 'b2-SECRET-2',
  AWS_SECRET: 'aws-SECRET-3',
  AWS_ID: 'AKIDSECRET4',
  // The shape scripts/provision generates: 32 random bytes in base64.
  GENERATED: 'q3V8Lk0tR2mZf9Yx1bWc7NpJ4hGd6sEaTu5iOvHyQw8=',
};
const V08 = { major: 0, minor: 8, patch: 22, text: 'duplicity 0.8.22' };
const V3 = { major: 3, minor: 0, patch: 3, text: 'duplicity 3.0.3' };

function input(yaml: string, name = 'web', version = V08): BuildInput {
  const result = parsePolicy(`version: 1\nhost_root: /mnt/lxc\nstate_dir: /var/lib/lxc-backup\n${yaml}`, 'p.yaml');
  expect(result.problems).toEqual([]);
  const policy = result.policy!;
  return {
    container: resolveContainer(policy, name),
    layout: containerLayout(policy, name),
    version,
    secret: (reference) => {
      const value = SECRETS[reference.slice(2, -1)];
      if (!value) throw new Error(`secret ${reference} is not set`);
      return value;
    },
  };
}

function expectNoSecretInArgs(args: string[]): void {
  for (const secret of Object.values(SECRETS)) expect(args.join('\0')).not.toContain(secret);
}

describe('buildBackup', () => {
  it('selects the container and its metadata from /, with priority, volsize and full_every', () => {
    const command = buildBackup(input(''));
    expect(command.file).toBe('nice');
    expect(command.args.slice(0, 7)).toEqual(['-n', '19', 'ionice', '-c', '2', '-n', '7']);
    const args = command.args.slice(command.args.indexOf('duplicity') + 1);
    expect(args).toEqual([
      '--archive-dir=/var/lib/lxc-backup/cache',
      '--name=web',
      '--tempdir=/var/lib/lxc-backup/tmp',
      '--verbosity=notice',
      '--num-retries=2',
      '--gpg-options=--compress-level=1',
      '--volsize=200',
      '--full-if-older-than=30D',
      '--exclude-filelist=/var/lib/lxc-backup/run/web.exclude',
      '--include=/mnt/lxc/web',
      '--include=/var/lib/lxc-backup/meta/web',
      '--exclude=**',
      '/',
      'file:///var/backups/lxc/web',
    ]);
    expect(command.env).toEqual({ GNUPGHOME: '/var/lib/lxc-backup/gnupg', PASSPHRASE: 'pass-SECRET-1' });
  });

  it('passes target_retries as --num-retries to every action', () => {
    const three = input('defaults:\n  target_retries: 3\n');
    expect(buildBackup(three).args).toContain('--num-retries=3');
    for (const run of buildPrune(three)) expect(run.args).toContain('--num-retries=3');
    expect(buildRestore(three, { destination: '/r' }).args).toContain('--num-retries=3');
  });

  it('uses duplicity 3 spellings and forces a full on demand', () => {
    const modern = buildBackup(input('', 'web', V3)).args;
    expect(modern[modern.indexOf('duplicity') + 1]).toBe('backup');
    const full = buildBackup(input(''), { full: true }).args;
    expect(full[full.indexOf('duplicity') + 1]).toBe('full');
    expect(full.some((arg) => arg.startsWith('--full-if-older-than'))).toBe(false);
  });

  it('lowers gpg key stretching only when the policy says auto and the passphrase is a random secret', () => {
    const gpgOptions = (yaml: string): string | undefined => {
      const command = buildBackup(input(yaml));
      expectNoSecretInArgs(command.args);
      return command.args.find((arg) => arg.startsWith('--gpg-options='));
    };
    const generated = 'defaults:\n  encryption: { mode: symmetric, passphrase: "${GENERATED}"';
    expect(gpgOptions(`${generated}, stretching: auto }\n`)).toBe('--gpg-options=--compress-level=1 --s2k-count=65536');
    expect(gpgOptions(`${generated}, stretching: full }\n`)).toBe('--gpg-options=--compress-level=1');
    // Left out: gpg's full count, whatever the passphrase.
    expect(gpgOptions(`${generated} }\n`)).toBe('--gpg-options=--compress-level=1');
    // A passphrase a person could have made up keeps gpg's count under auto too.
    expect(gpgOptions('defaults:\n  encryption: { mode: symmetric, passphrase: "${PASSPHRASE}", stretching: auto }\n')).toBe(
      '--gpg-options=--compress-level=1',
    );
  });

  it('maps compression, encryption modes and io priority', () => {
    const none = buildBackup(input('defaults:\n  encryption: { mode: none }\n  priority: { io_class: none, nice: 5 }\n'));
    expect(none.args).toContain('--no-encryption');
    expect(none.args.slice(0, 3)).toEqual(['-n', '5', 'duplicity']);
    expect(none.env.PASSPHRASE).toBeUndefined();
    const pubkeyInput = input(
      'defaults:\n  compression: best\n  priority: { io_class: idle }\n  encryption: { mode: pubkey, encrypt_keys: [0123456789ABCDEF], sign_key: 89ABCDEF, sign_passphrase: "${PASSPHRASE}" }\n',
    );
    const pubkey = buildBackup(pubkeyInput);
    expect(pubkey.args).toEqual(
      expect.arrayContaining([
        '--encrypt-key=0123456789ABCDEF',
        '--sign-key=89ABCDEF',
        '--gpg-options=--compress-level=9 --trust-model=always',
        'ionice',
        '-c',
        '3',
      ]),
    );
    expect(pubkey.env.SIGN_PASSPHRASE).toBe('pass-SECRET-1');
    // Empty, never the signing passphrase: a non-empty PASSPHRASE makes duplicity decrypt the remote manifest.
    expect(pubkey.env.PASSPHRASE).toBe('');
    expect(buildBackup({ ...pubkeyInput, keyPassphrase: 'key-pass' }).env.PASSPHRASE).toBe('key-pass');
    const plain = buildBackup(input('defaults:\n  compression: default\n'));
    expect(plain.args.some((arg) => arg.startsWith('--gpg-options'))).toBe(false);
  });

  it('passes cloud and SFTP credentials only through the environment', () => {
    const s3 = buildBackup(
      input(
        'defaults:\n  target: "s3:///bucket/{name}"\n  s3: { endpoint_url: "http://127.0.0.1:9000", region: eu-1 }\n  credentials: { aws_access_key_id: "${AWS_ID}", aws_secret_access_key: "${AWS_SECRET}" }\n',
      ),
    );
    expect(s3.args).toEqual(
      expect.arrayContaining(['--s3-endpoint-url=http://127.0.0.1:9000', '--s3-region-name=eu-1', 's3:///bucket/web']),
    );
    expect(s3.env).toMatchObject({ AWS_ACCESS_KEY_ID: 'AKIDSECRET4', AWS_SECRET_ACCESS_KEY: 'aws-SECRET-3' });
    expectNoSecretInArgs(s3.args);
    const b2 = buildBackup(input('defaults:\n  target: "b2://keyid@bucket/{name}"\n  credentials: { password: "${B2_KEY}" }\n'));
    expect(b2.env.FTP_PASSWORD).toBe('b2-SECRET-2');
    expectNoSecretInArgs(b2.args);
    const sftp = buildBackup(
      input('defaults:\n  target: "sftp://bk@nas:2222//srv/{name}"\n  sftp: { identity_file: /k/id, known_hosts_file: /k/kh }\n'),
    );
    expect(sftp.args).toContain('--ssh-options=-oIdentityFile=/k/id -oUserKnownHostsFile=/k/kh');
  });

  it('fails with the variable name, not a value, when a secret is unset', () => {
    expect(() => buildBackup(input('defaults:\n  credentials: { password: "${MISSING}" }\n'))).toThrow(/\$\{MISSING\} is not set/);
  });
});

describe('buildCleanup', () => {
  it('removes incomplete sets with --force (without it duplicity only lists), with no secret in argv', () => {
    const run = buildCleanup(input(''));
    expect(run.args.slice(run.args.indexOf('duplicity') + 1, run.args.indexOf('duplicity') + 2)).toEqual(['cleanup']);
    expect(run.args).toContain('--force');
    expect(run.args.at(-1)).toBe('file:///var/backups/lxc/web');
    expectNoSecretInArgs(run.args);
  });
});

describe('buildPrune', () => {
  it('always passes --force, one run per rule', () => {
    const runs = buildPrune(input('defaults:\n  retention: { older_than: 2M, keep_full: 3, keep_incrementals_of_full: 1 }\n'));
    const verbs = runs.map((run) => run.args.slice(run.args.indexOf('duplicity') + 1, run.args.indexOf('duplicity') + 3));
    expect(verbs).toEqual([
      ['remove-older-than', '2M'],
      ['remove-all-but-n-full', '3'],
      ['remove-all-inc-of-but-n-full', '1'],
    ]);
    for (const run of runs) {
      expect(run.args).toContain('--force');
      expect(run.args.at(-1)).toBe('file:///var/backups/lxc/web');
    }
    expect(buildPrune(input('defaults:\n  retention: { older_than: null }\n'))).toEqual([]);
  });
});

describe('buildRestore', () => {
  it('spells the path option per version and keeps numeric owners', () => {
    const old = buildRestore(input(''), { destination: '/r', pathInArchive: '/mnt/lxc/web/rootfs/etc', time: '3D' }).args;
    expect(old).toEqual(
      expect.arrayContaining(['restore', '--numeric-owner', '--file-to-restore=mnt/lxc/web/rootfs/etc', '--restore-time=3D']),
    );
    expect(old.slice(-2)).toEqual(['file:///var/backups/lxc/web', '/r']);
    const modern = buildRestore(input('', 'web', V3), { destination: '/r', pathInArchive: '/mnt/lxc/web' }).args;
    expect(modern).toContain('--path-to-restore=mnt/lxc/web');
  });
});

describe('excludeFilelist', () => {
  it('anchors each pattern at the container directory', () => {
    const { layout } = input('');
    expect(excludeFilelist(layout, ['rootfs/tmp', 'rootfs/home/*/.cache'])).toBe(
      '/mnt/lxc/web/rootfs/tmp\n/mnt/lxc/web/rootfs/home/*/.cache\n',
    );
  });
});
