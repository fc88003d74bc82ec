// The host command (lxc/host-command.sh, installed as /usr/local/sbin/lxc-backup) with fake LXC
// tools on PATH: it finds the backup container, passes arguments, stdin and the exit code
// through lxc-attach unchanged, and its bash completion offers verbs, flags and names.
import { execa } from 'execa';
import { chmod, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../support/temp.js';
import { REPO } from './agent-helpers.js';

const BLOCK = '# BEGIN lxc-backup (managed by scripts/provision; edits between these lines are replaced)';
let work: string;
let env: NodeJS.ProcessEnv;

beforeEach(async () => {
  work = await makeTempDir('host-command');
  const bin = join(work, 'bin');
  await mkdir(bin);
  const tools: Record<string, string> = {
    'lxc-config': `echo ${join(work, 'lxc')}`,
    'lxc-info': 'echo RUNNING',
    // Records its argv, relays stdin, answers status --json like the agent, exits $FAKE_EXIT.
    'lxc-attach': [
      `printf '%s\\n' "$@" > ${join(work, 'attach-args')}`,
      'case " $* " in *" status --json "*) printf \'{\\n  "containers": [\\n    {\\n      "name": "gone-ct",\\n      "state": "orphaned"\\n    }\\n  ]\\n}\\n\' ;; esac',
      'case " $* " in *" policy check - "*) cat ;; esac',
      'args=("$@"); for i in "${!args[@]}"; do [ "${args[i]}" != -- ] || echo "inside: ${args[*]:i+1}"; done',
      'exit "${FAKE_EXIT:-0}"',
    ].join('\n'),
  };
  for (const [name, body] of Object.entries(tools)) {
    await writeFile(join(bin, name), `#!/bin/bash\n${body}\n`);
    await chmod(join(bin, name), 0o755);
  }
  await symlink(join(REPO, 'lxc/host-command.sh'), join(bin, 'lxc-backup'));
  env = { PATH: `${bin}:${process.env.PATH ?? ''}`, TERM: 'xterm' };
  await container('web', 'lxc.uts.name = web\n');
  await container('backups', `${BLOCK}\nlxc.start.auto = 1\n# END lxc-backup\n`);
});
afterEach(async () => removeDir(work));

async function container(name: string, config: string): Promise<void> {
  await mkdir(join(work, 'lxc', name), { recursive: true });
  await writeFile(join(work, 'lxc', name, 'config'), config);
}

const run = (args: string[], extra: NodeJS.ProcessEnv = {}, input?: string) =>
  execa('lxc-backup', args, { env: { ...env, ...extra }, reject: false, ...(input !== undefined ? { input } : { stdin: 'ignore' }) });
const attachArgs = async (): Promise<string[]> => (await readFile(join(work, 'attach-args'), 'utf8')).trim().split('\n');

describe('the host command', () => {
  it('runs the verb in the one backup container with its arguments and exit code', async () => {
    const result = await run(['status', '--json'], { FAKE_EXIT: '3' });
    expect(result.exitCode).toBe(3);
    expect(result.stdout).toContain('inside: lxc-backup status --json');
    const args = await attachArgs();
    expect(args.slice(0, 2)).toEqual(['-n', 'backups']);
    expect(args).toContain('--clear-env');
    expect(args).toContain('TERM=xterm');
    expect(args.slice(args.indexOf('--'))).toEqual(['--', 'lxc-backup', 'status', '--json']);
  });

  it('passes stdin through', async () => {
    const result = await run(['policy', 'check', '-'], {}, 'version: 1\n');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('version: 1');
  });

  it('asks for --container when there are several backup containers, and uses the one named', async () => {
    await container('backups2', `${BLOCK}\n# END lxc-backup\n`);
    const several = await run(['status']);
    expect(several.exitCode).toBe(2);
    expect(several.stderr).toMatch(/found 2 backup containers \(backups backups2\): choose one with --container/);
    const chosen = await run(['--container', 'backups2', 'history', 'web']);
    expect(chosen.exitCode).toBe(0);
    expect((await attachArgs()).slice(0, 2)).toEqual(['-n', 'backups2']);
    expect((await run(['--container', '../x', 'status'])).stderr).toMatch(/expected --container to be a container name/);
  });

  it('prints its usage with exit 2 without a verb, 0 with --help', async () => {
    expect((await run([])).exitCode).toBe(2);
    const help = await run(['--help']);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toMatch(/^Usage: lxc-backup \[--container BACKUPCT\] VERB/);
  });

  it('runs the host-side restore for `restore`, and scripts/restore is the same command', async () => {
    const viaCommand = await run(['restore', '--help']);
    const viaAlias = await execa(join(REPO, 'scripts/restore'), ['--help'], { env, reject: false });
    expect(viaCommand.exitCode).toBe(0);
    expect(viaCommand.stdout).toMatch(/^Usage: lxc-backup restore NAME/);
    expect(viaAlias.stdout).toBe(viaCommand.stdout);
  });
});

describe('bash completion', () => {
  const complete = async (words: string[]): Promise<string[]> => {
    const script = [
      `source ${join(REPO, 'lxc/lxc-backup.bash-completion')}`,
      `COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')})`,
      `COMP_CWORD=${words.length - 1}`,
      '_lxc_backup',
      'printf "%s\\n" "${COMPREPLY[@]}"',
    ].join('\n');
    const { stdout } = await execa('bash', ['-c', script], { env });
    return stdout.split('\n').filter(Boolean);
  };

  it('offers verbs, then flags, then container names from the lxcpath and the agent', async () => {
    expect(await complete(['lxc-backup', 'hi'])).toEqual(['history']);
    expect(await complete(['lxc-backup', ''])).toEqual(expect.arrayContaining(['status', 'backup', 'restore', 'history', '--container']));
    expect(await complete(['lxc-backup', 'status', '--'])).toEqual(['--json', '--local-time', '--policy']);
    expect(await complete(['lxc-backup', 'history', ''])).toEqual(
      expect.arrayContaining(['web', 'backups', 'gone-ct', '--json', '--limit']),
    );
    expect(await complete(['lxc-backup', '--container', 'backups', 'restore', 'w'])).toEqual(['web']);
    expect(await complete(['lxc-backup', 'policy', ''])).toEqual(['check', 'show']);
  });
});
