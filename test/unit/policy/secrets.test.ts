// No secret value ever leaves the policy code: not in check output, show output or errors.
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseSecretsFile, resolveSecret } from '../../../agent/policy/secrets.js';
import { runLxcBackup } from '../../support/cli.js';
import { makeTempDir, removeDir } from '../../support/temp.js';

const SECRETS = ['pa55-W0rd-in-file', 'literal-hunter2', 'AKIA-LITERAL-KEY', 'url-pass-77'];

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir('secrets');
});
afterEach(async () => removeDir(dir));

// Output and errors as one text: a secret may appear in neither.
async function cli(...argv: string[]): Promise<{ code: number; output: string }> {
  const { code, out, err } = await runLxcBackup(argv);
  return { code, output: out + err };
}

function expectNoSecret(text: string): void {
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

describe('secrets', () => {
  it('never prints resolved secrets in policy show, text or JSON', async () => {
    const secretsFile = join(dir, 'secrets.env');
    await writeFile(secretsFile, `PASSPHRASE=${SECRETS[0]}\nB2_KEY=${SECRETS[0]}\n`, { mode: 0o600 });
    const policy = join(dir, 'policy.yaml');
    await writeFile(policy, `version: 1\nsecrets_file: ${secretsFile}\ndefaults:\n  credentials: { password: "\${B2_KEY}" }\n`);
    for (const extra of [[], ['--json']]) {
      const { code, output } = await cli('policy', 'show', 'web', '--policy', policy, ...extra);
      expect(code).toBe(0);
      expect(output).toContain('***');
      expect(output).not.toContain('${PASSPHRASE}');
      expectNoSecret(output);
    }
    const check = await cli('policy', 'check', policy);
    expect(check.code).toBe(0);
    expectNoSecret(check.output);
  });

  it('refuses literal secrets without echoing them', async () => {
    const policy = join(dir, 'policy.yaml');
    await writeFile(
      policy,
      [
        'version: 1',
        'defaults:',
        `  target: "sftp://me:${SECRETS[3]}@nas/b/{name}"`,
        `  encryption: { mode: symmetric, passphrase: "${SECRETS[1]}" }`,
        `  credentials: { aws_secret_access_key: ${SECRETS[2]}, password: 12345 }`,
      ].join('\n'),
    );
    const { code, output } = await cli('policy', 'check', policy);
    expect(code).toBe(1);
    expect(output).toContain('defaults.encryption.passphrase: expected a secret reference');
    expect(output).toContain('defaults.target: expected no password in the URL');
    expect(output).toContain('defaults.credentials.aws_secret_access_key');
    expect(output).not.toContain('12345');
    expectNoSecret(output);
  });

  it('rejects a secrets file readable by others, and names unset references', async () => {
    const secretsFile = join(dir, 'secrets.env');
    await writeFile(secretsFile, 'OTHER=1\n');
    await chmod(secretsFile, 0o644);
    const policy = join(dir, 'policy.yaml');
    await writeFile(policy, `version: 1\nsecrets_file: ${secretsFile}\n`);
    const { code, output } = await cli('policy', 'check', policy);
    expect(code).toBe(1);
    expect(output).toContain(`${secretsFile}: expected mode 0600 owned by root, got 0644 owner 0: run chmod 600 ${secretsFile}`);
    // Once the file is private, the references it lacks are named.
    await chmod(secretsFile, 0o600);
    const fixed = await cli('policy', 'check', policy);
    expect(fixed.code).toBe(1);
    expect(fixed.output).not.toContain('expected mode');
    expect(fixed.output).toContain('secret PASSPHRASE is not set');
  });

  it('resolves references from the file before the environment, and errors name only the variable', () => {
    const { values, problems } = parseSecretsFile(`# comment\nPASSPHRASE="${SECRETS[0]}"\nexport B=2\nnot a line\n`);
    expect(problems).toEqual([{ line: 4, message: expect.stringContaining('expected KEY=value') }]);
    const source = { file: values, env: { PASSPHRASE: 'from-env', ONLY_ENV: 'e' } };
    expect(resolveSecret('${PASSPHRASE}', source, '/s')).toBe(SECRETS[0]);
    expect(resolveSecret('${ONLY_ENV}', source, '/s')).toBe('e');
    expect(() => resolveSecret('${MISSING}', source, '/s')).toThrow(/secret MISSING is not set/);
    let message = '';
    try {
      resolveSecret(SECRETS[1]!, source, '/s');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/literal value \(not shown\)/);
    expectNoSecret(message);
  });
});
