// The shipped Prometheus rules pass `promtool check rules` and their own unit tests
// (`promtool test rules`), so a broken rule fails the suite and not only scripts/test.
import { execa } from 'execa';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './agent-helpers.js';

const RULES = join(REPO, 'templates/prometheus/lxc-backup.rules.yml');
const TESTS = join(REPO, 'templates/prometheus/lxc-backup.rules.test.yml');
const promtool = await execa('promtool', ['--version'], { reject: false });
const skip = promtool.exitCode === 0 ? undefined : 'promtool is not installed (apt-get install prometheus)';

describe.skipIf(skip !== undefined)('templates/prometheus', () => {
  it('promtool check rules accepts the rules', async () => {
    const result = await execa('promtool', ['check', 'rules', RULES], { reject: false });
    expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stdout).toMatch(/SUCCESS: \d+ rules found/);
  });

  it('promtool test rules passes the rules unit tests', async () => {
    const result = await execa('promtool', ['test', 'rules', TESTS], { reject: false, timeout: 120_000 });
    expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(0);
  }, 130_000);
});
