// Every invalid policy reports the exact place and key, and an "expected …, got …" message.
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../../agent/policy/parse.js';
import { formatProblem } from '../../../agent/policy/problem.js';

interface Case {
  name: string;
  yaml: string;
  // `LINE:COL path` of the first problem, then a fragment of its message.
  at: string;
  says: string;
}

const cases: Case[] = [
  { name: 'missing version', yaml: 'concurrency: 2\n', at: '1:1 version', says: 'expected 1, got nothing' },
  { name: 'wrong version', yaml: 'version: 2\n', at: '1:10 version', says: 'expected 1, got the number 2' },
  { name: 'unknown top-level key', yaml: 'version: 1\ncolour: blue\n', at: '2:1 colour', says: 'got unknown key "colour"' },
  {
    name: 'unknown key lists known ones',
    yaml: 'version: 1\nnew_containers:\n  setle: 2m\n',
    at: '3:3 new_containers.setle',
    says: 'expected one of settle, first_backup',
  },
  { name: 'relative host_root', yaml: 'version: 1\nhost_root: mnt/lxc\n', at: '2:12 host_root', says: 'expected an absolute path' },
  {
    name: 'concurrency zero',
    yaml: 'version: 1\nconcurrency: 0\n',
    at: '2:14 concurrency',
    says: 'expected a number >= 1, got the number 0',
  },
  {
    name: 'concurrency text',
    yaml: 'version: 1\nconcurrency: lots\n',
    at: '2:14 concurrency',
    says: 'expected auto or a whole number from 1 to 32, got "lots"',
  },
  {
    name: 'fractional concurrency',
    yaml: 'version: 1\nconcurrency: 1.5\n',
    at: '2:14 concurrency',
    says: 'expected auto or a whole number from 1 to 32',
  },
  {
    name: 'bad cron',
    yaml: 'version: 1\ndefaults:\n  schedule: "61 3 * * *"\n',
    at: '3:13 defaults.schedule',
    says: 'expected a cron expression',
  },
  {
    name: 'cron with too few fields',
    yaml: 'version: 1\ndefaults:\n  schedule: "3 * *"\n',
    at: '3:13 defaults.schedule',
    says: 'got "3 * *"',
  },
  {
    name: 'bad duration',
    yaml: 'version: 1\ndefaults:\n  full_every: 30 days\n',
    at: '3:15 defaults.full_every',
    says: 'expected a duration like',
  },
  {
    name: 'bad retention duration',
    yaml: 'version: 1\ndefaults:\n  retention:\n    older_than: 2 months\n',
    at: '4:17 defaults.retention.older_than',
    says: 'got "2 months"',
  },
  {
    name: 'unknown retention key',
    yaml: 'version: 1\ndefaults:\n  retention:\n    keep: 3\n',
    at: '4:5 defaults.retention.keep',
    says: 'expected one of older_than, keep_full, keep_incrementals_of_full',
  },
  {
    name: 'keep_full zero',
    yaml: 'version: 1\ndefaults:\n  retention:\n    keep_full: 0\n',
    at: '4:16 defaults.retention.keep_full',
    says: 'expected a number >= 1',
  },
  {
    name: 'unsupported target scheme',
    yaml: 'version: 1\ndefaults:\n  target: "ftp://host/{name}"\n',
    at: '3:11 defaults.target',
    says: 'expected a target URL starting with file://',
  },
  {
    name: 'relative file target',
    yaml: 'version: 1\ndefaults:\n  target: "file://backups/{name}"\n',
    at: '3:11 defaults.target',
    says: 'three slashes',
  },
  {
    name: 'password in target',
    yaml: 'version: 1\ndefaults:\n  target: "sftp://me:hunter2@nas/b/{name}"\n',
    at: '3:11 defaults.target',
    says: 'expected no password in the URL',
  },
  {
    name: 'unknown placeholder',
    yaml: 'version: 1\ndefaults:\n  target: "file:///b/{date}/{name}"\n',
    at: '3:11 defaults.target',
    says: 'expected {name} and {host} as the only placeholders',
  },
  {
    name: 'shared target without {name}',
    yaml: 'version: 1\ndefaults:\n  target: "file:///var/backups/all"\n',
    at: '3:11 defaults.target',
    says: 'expected {name} in a target that several containers share',
  },
  {
    name: 'glob target without {name}',
    yaml: 'version: 1\ncontainers:\n  "web-*":\n    target: "file:///b/web"\n',
    at: '4:13 containers.web-*.target',
    says: 'expected {name}',
  },
  {
    name: 'absolute exclude',
    yaml: 'version: 1\ndefaults:\n  exclude:\n    - rootfs/tmp\n    - /rootfs/proc\n',
    at: '5:7 defaults.exclude[1]',
    says: 'expected a pattern relative to the container directory',
  },
  {
    name: 'exclude escaping the container',
    yaml: 'version: 1\ndefaults:\n  exclude: [../etc]\n',
    at: '3:13 defaults.exclude[0]',
    says: 'no ".."',
  },
  {
    name: 'exclude not a list',
    yaml: 'version: 1\ndefaults:\n  exclude: rootfs/tmp\n',
    at: '3:12 defaults.exclude',
    says: 'expected a list, got "rootfs/tmp"',
  },
  {
    name: 'literal passphrase',
    yaml: 'version: 1\ndefaults:\n  encryption:\n    mode: symmetric\n    passphrase: correct horse\n',
    at: '5:17 defaults.encryption.passphrase',
    says: 'expected a secret reference like "${PASSPHRASE}"',
  },
  {
    name: 'missing passphrase',
    yaml: 'version: 1\ndefaults:\n  encryption:\n    mode: symmetric\n',
    at: '4:5 defaults.encryption.passphrase',
    says: 'expected a string, got nothing',
  },
  {
    name: 'unknown encryption mode',
    yaml: 'version: 1\ndefaults:\n  encryption:\n    mode: aes\n',
    at: '4:11 defaults.encryption.mode',
    says: 'expected "symmetric" or "pubkey" or "none", got "aes"',
  },
  {
    name: 'pubkey without keys',
    yaml: 'version: 1\ndefaults:\n  encryption:\n    mode: pubkey\n    encrypt_keys: []\n',
    at: '5:19 defaults.encryption.encrypt_keys',
    says: 'expected at least 1 item(s)',
  },
  {
    name: 'pubkey with a bad key id',
    yaml: 'version: 1\ndefaults:\n  encryption:\n    mode: pubkey\n    encrypt_keys: [alice]\n',
    at: '5:20 defaults.encryption.encrypt_keys[0]',
    says: 'expected a GnuPG key id',
  },
  {
    name: 'key of another mode',
    yaml: 'version: 1\ndefaults:\n  encryption:\n    mode: none\n    passphrase: "${P}"\n',
    at: '5:5 defaults.encryption.passphrase',
    says: 'expected one of mode, got unknown key "passphrase"',
  },
  {
    name: 'sign_passphrase without sign_key',
    yaml: 'version: 1\ndefaults:\n  encryption:\n    mode: pubkey\n    encrypt_keys: [0123456789ABCDEF]\n    sign_passphrase: "${SIGN}"\n',
    at: '6:22 defaults.encryption.sign_passphrase',
    says: 'expected sign_key next to sign_passphrase',
  },
  {
    name: 'unknown compression',
    yaml: 'version: 1\ndefaults:\n  compression: zstd\n',
    at: '3:16 defaults.compression',
    says: 'expected "fast" or "default" or "best" or "none", got "zstd"',
  },
  {
    name: 'enabled as text',
    yaml: 'version: 1\ncontainers:\n  db:\n    enabled: "no"\n',
    at: '4:14 containers.db.enabled',
    says: 'expected true or false, got "no"',
  },
  {
    name: 'bad container pattern',
    yaml: 'version: 1\ncontainers:\n  "web server":\n    enabled: false\n',
    at: '3:3 containers["web server"]',
    says: 'expected a container name or glob (letters, digits, . _ - and * ? [...]), got "web server"',
  },
  {
    name: 'unknown key in a container entry',
    yaml: 'version: 1\ncontainers:\n  db:\n    schedul: "0 1 * * *"\n',
    at: '4:5 containers.db.schedul',
    says: 'got unknown key "schedul"',
  },
  {
    name: 'literal secret access key',
    yaml: 'version: 1\ndefaults:\n  credentials:\n    aws_secret_access_key: AKIAsecret\n',
    at: '4:28 defaults.credentials.aws_secret_access_key',
    says: 'got a literal value (not shown)',
  },
  {
    name: 'bad s3 endpoint',
    yaml: 'version: 1\ndefaults:\n  s3:\n    endpoint_url: ftp://x\n',
    at: '4:19 defaults.s3.endpoint_url',
    says: 'expected an http:// or https:// URL',
  },
  {
    name: 'ignore with a bad pattern',
    yaml: 'version: 1\nignore: ["a b"]\n',
    at: '2:10 ignore[0]',
    says: 'expected a container name or glob',
  },
  {
    name: 'bad first_backup',
    yaml: 'version: 1\nnew_containers:\n  first_backup: later\n',
    at: '3:17 new_containers.first_backup',
    says: 'expected "immediate" or "next_slot"',
  },
  {
    name: 'nice out of range',
    yaml: 'version: 1\ndefaults:\n  priority: { nice: 40 }\n',
    at: '3:21 defaults.priority.nice',
    says: 'expected a number <= 19',
  },
  {
    name: 'YAML syntax error',
    yaml: 'version: 1\ndefaults:\n  schedule: "0 3 * * *\n',
    at: '4:1',
    says: 'expected valid YAML, got Missing closing "quote',
  },
  {
    name: 'duplicate key',
    yaml: 'version: 1\nconcurrency: 1\nconcurrency: 2\n',
    at: '3:1',
    says: 'expected valid YAML, got Map keys must be unique',
  },
  { name: 'document is a list', yaml: '- version: 1\n', at: '1:1', says: 'expected a mapping with version: 1, got a list' },
];

describe('invalid policies', () => {
  it('has a large table', () => expect(cases.length).toBeGreaterThanOrEqual(25));

  it.each(cases)('$name', ({ yaml, at, says }) => {
    const result = parsePolicy(yaml, 'policy.yaml');
    expect(result.policy).toBeUndefined();
    const first = result.problems[0]!;
    expect(`${first.line}:${first.col}${first.path ? ` ${first.path}` : ''}`).toBe(at);
    expect(formatProblem(first)).toContain(says);
    expect(formatProblem(first)).toMatch(/^policy\.yaml:\d+:\d+ .*expected .*, got /);
  });

  it('reports every problem at once, in file order', () => {
    const yaml = 'version: 1\nconcurrency: 0\ndefaults:\n  schedule: nope\n  compression: zstd\nextra: 1\n';
    const lines = parsePolicy(yaml, 'p.yaml').problems.map(formatProblem);
    expect(lines).toEqual([
      expect.stringMatching(/^p\.yaml:2:14 concurrency: expected a number >= 1/),
      expect.stringMatching(/^p\.yaml:4:13 defaults\.schedule: expected a cron expression/),
      expect.stringMatching(/^p\.yaml:5:16 defaults\.compression: expected/),
      expect.stringMatching(/^p\.yaml:6:1 extra: expected one of .*got unknown key "extra"/),
    ]);
  });
});
