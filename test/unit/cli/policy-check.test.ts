// The policy verbs as a user runs them: exit codes, help, and the committed JSON Schema.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { VERBS } from '../../../agent/cli/verb-registry.js';
import { policyJsonSchema } from '../../../agent/policy/json-schema.js';
import { runLxcBackup } from '../../support/cli.js';

describe('policy CLI', () => {
  it('accepts the shipped template', async () => {
    const { code, out } = await runLxcBackup(['policy', 'check', 'templates/policy.yaml']);
    expect(code).toBe(0);
    expect(out).toContain('templates/policy.yaml: valid');
  });

  it('exits 2 for an unreadable file and for usage errors', async () => {
    expect((await runLxcBackup(['policy', 'check', '/nonexistent/policy.yaml'])).code).toBe(2);
    expect((await runLxcBackup(['policy', 'show'])).code).toBe(2);
    expect((await runLxcBackup(['policy', 'check', '--bogus'])).code).toBe(2);
    expect((await runLxcBackup(['frobnicate'])).err).toContain('unknown verb');
  });

  it('describes every verb and flag in --help', async () => {
    const main = await runLxcBackup(['--help']);
    expect(main.code).toBe(0);
    for (const verb of VERBS) {
      expect(main.out).toContain(verb.words.join(' '));
      const help = await runLxcBackup([...verb.words, '--help']);
      expect(help.code).toBe(0);
      for (const option of Object.keys(verb.options)) expect(help.out).toContain(`--${option}`);
    }
  });

  it('keeps templates/policy.schema.json in sync with the schema (npm run schema)', async () => {
    expect(await readFile('templates/policy.schema.json', 'utf8')).toBe(policyJsonSchema());
  });
});
