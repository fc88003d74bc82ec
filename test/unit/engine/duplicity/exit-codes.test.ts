import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyExit, lastErrorLine, sanitize } from '../../../../agent/engine/duplicity/exit-codes.js';

const fixture = (name: string): string => readFileSync(new URL(`../../../fixtures/duplicity/${name}`, import.meta.url), 'utf8');
const captured = (name: string): [number, string] => [Number(fixture(`0.8.22/${name}.rc`).trim()), fixture(`0.8.22/${name}.stderr`)];

describe('classifyExit on captured 0.8.22 failures', () => {
  it.each([
    ['lock held (23)', 'lock-inc', { kind: 'transient', message: 'another backup of this container is running' }],
    ['wrong passphrase (31)', 'enc-wrongpass-inc', { kind: 'permanent', message: 'wrong passphrase or key' }],
    ['missing source (13)', 'nosrc-full', { kind: 'permanent', message: 'the backup source directory does not exist' }],
    [
      'sftp refused (23, BackendException)',
      'connrefused-status',
      {
        kind: 'transient',
        message:
          'cannot reach the backup target: BackendException: ssh connection to nobody@127.0.0.1:1 failed: [Errno None] Unable to connect to port 1 on 127.0.0.1',
      },
    ],
    ['list on empty target (30, crash)', 'empty-list', { kind: 'permanent', message: 'no backups found on the target' }],
  ])('%s', (_name, file, expected) => {
    const [code, stderr] = captured(file);
    expect(classifyExit(code, stderr)).toEqual(expected);
  });

  it('records the exit codes those runs had', () => {
    expect(['lock-inc', 'enc-wrongpass-inc', 'nosrc-full', 'connrefused-status', 'empty-list'].map((f) => captured(f)[0])).toEqual([
      23, 31, 13, 23, 30,
    ]);
  });
});

describe('classifyExit by code and text', () => {
  it.each([
    [null, '', 'SIGTERM', { kind: 'transient', message: 'interrupted (SIGTERM)' }],
    [4, '', undefined, { kind: 'transient', message: 'interrupted' }],
    [4, 'No manifests found', undefined, { kind: 'permanent', message: 'no backup manifests found on the target (exit 4)' }],
    [143, '', undefined, { kind: 'transient', message: 'interrupted (signal 15)' }],
    [
      38,
      'ConnectionError: boom',
      undefined,
      { kind: 'transient', message: 'connection to the backup target failed (exit 38): ConnectionError: boom' },
    ],
    [
      50,
      'BackendException: 503 Service Unavailable',
      undefined,
      { kind: 'transient', message: 'backend error (exit 50): BackendException: 503 Service Unavailable' },
    ],
    [53, '', undefined, { kind: 'transient', message: 'the backup target is out of space (exit 53)' }],
    [51, '', undefined, { kind: 'permanent', message: 'permission denied on the backup target (exit 51)' }],
    // 3.0.x-only codes.
    [56, '', undefined, { kind: 'transient', message: 'backend validation failed (exit 56)' }],
    [81, '', undefined, { kind: 'permanent', message: 'bad encryption key (exit 81)' }],
    [
      42,
      'Fatal Error: Backup source directory has changed.',
      undefined,
      { kind: 'permanent', message: 'the target holds backups of a different source directory (exit 42)' },
    ],
    [
      31,
      'GPGError: GPG Failed, see log below:\n===== Begin GnuPG log =====\ngpg: decryption failed: No secret key\n',
      undefined,
      {
        kind: 'permanent',
        message: 'gpg has no private key to decrypt with: encryption.mode pubkey keeps it off this host (pass it with --key FILE)',
      },
    ],
    [
      31,
      'GPGError: GPG Failed: gpg: skipped "ABCD": No public key',
      undefined,
      { kind: 'permanent', message: 'gpg key not found in the keyring' },
    ],
    [
      30,
      'Traceback (innermost last):\n  File "x", line 1\nOSError: [Errno 28] No space left on device',
      undefined,
      { kind: 'transient', message: 'no space left on device: OSError: [Errno 28] No space left on device' },
    ],
    [30, 'Traceback\nKeyError: x', undefined, { kind: 'permanent', message: 'duplicity crashed (exit 30): KeyError: x' }],
    [99, '', undefined, { kind: 'permanent', message: 'duplicity failed (exit 99)' }],
  ] as const)('exit %s %j', (code, stderr, signal, expected) => {
    expect(classifyExit(code, stderr, signal)).toEqual(expected);
  });

  // Masks up to the next space: a passphrase may contain any other character.
  it('never echoes credentials from the error line', () => {
    const result = classifyExit(23, 'BackendException: cannot open sftp://backup:hunter2@host/x (password=hunter2)');
    expect(result.message).not.toContain('hunter2');
    expect(result.message).toBe(
      'duplicity reported a user error (exit 23): BackendException: cannot open sftp://backup:***@host/x (password=***',
    );
  });
});

describe('lastErrorLine / sanitize', () => {
  it('skips lock-release noise after the real error', () => {
    expect(lastErrorLine(captured('lock-inc')[1])).toBe('Another duplicity instance is already running with this archive directory');
  });

  it('prefers the exception line over traceback frames', () => {
    expect(lastErrorLine(captured('empty-list')[1])).toBe('duplicity.dup_collections.CollectionsError: No signature chains found');
  });

  it('flattens control characters and truncates', () => {
    expect(sanitize(`a\tb\u001b[31m${'x'.repeat(300)}`)).toHaveLength(160);
  });
});
