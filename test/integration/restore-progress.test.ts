// `lxc-backup restore` (the real CLI process, real duplicity) reports its phases as they
// happen, not all at the end: the first line arrives well before the process exits.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runLxcBackup } from '../support/cli.js';
import { makeTempDir, removeDir } from '../support/temp.js';
import { REPO } from './agent-helpers.js';

let work: string;
beforeEach(async () => {
  work = await makeTempDir('restore-progress');
});
afterEach(async () => {
  await removeDir(work);
});

// Runs the CLI and returns each stderr line with the ms since start it arrived at, and the exit time.
function timedRun(args: string[]): Promise<{ lines: Array<{ at: number; text: string }>; exitAt: number; code: number | null }> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'agent/main.ts'), ...args], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Array<{ at: number; text: string }> = [];
  let pending = '';
  child.stderr.on('data', (chunk: Buffer) => {
    const parts = (pending + chunk.toString()).split('\n');
    pending = parts.pop() ?? '';
    for (const text of parts) lines.push({ at: Date.now() - started, text });
  });
  child.stdout.resume();
  return new Promise((resolve) => child.once('exit', (code) => resolve({ lines, exitAt: Date.now() - started, code })));
}

describe('lxc-backup restore progress', () => {
  it('prints a line per phase while it runs (not a terminal), the first well before it ends', async () => {
    const rootfs = join(work, 'host', 'web', 'rootfs');
    await mkdir(join(rootfs, 'srv'), { recursive: true });
    await writeFile(join(work, 'host', 'web', 'config'), 'lxc.uts.name = web\n');
    for (let i = 0; i < 6; i += 1) await writeFile(join(rootfs, 'srv', `blob-${i}`), randomBytes(2 * 1024 * 1024));
    const policy = join(work, 'policy.yaml');
    await writeFile(
      policy,
      [
        'version: 1',
        `host_root: ${join(work, 'host')}`,
        `state_dir: ${join(work, 'state')}`,
        `secrets_file: ${join(work, 'secrets.env')}`,
        'defaults:',
        `  target: "file://${join(work, 'target')}/{name}"`,
        '  encryption: { mode: none }',
        '  volsize: 1',
      ].join('\n'),
    );
    const backup = await runLxcBackup(['backup', 'web', '--policy', policy]);
    expect(backup.code, backup.err).toBe(0);

    const to = join(work, 'restored');
    const run = await timedRun(['restore', 'web', '--to', to, '--policy', policy]);
    const text = run.lines.map((l) => `${l.at} ${l.text}`).join('\n');
    expect(run.code, text).toBe(0);
    const phases = run.lines.filter((l) => /^web: (fetching|applying metadata|moving into place), \d+:\d\d$/.test(l.text));
    expect(
      phases.map((l) => l.text.split(',')[0]),
      text,
    ).toEqual(['web: fetching', 'web: applying metadata', 'web: moving into place']);
    // Fetching 12 MB in 1 MB volumes takes a while: its line came at its start, not with the
    // later ones (output held back until the end would arrive all at once).
    expect(phases[1]!.at - phases[0]!.at, text).toBeGreaterThan(100);
    expect(run.exitAt - phases[0]!.at, text).toBeGreaterThan(100);
    expect(await readFile(join(to, 'rootfs', 'srv', 'blob-5'))).toHaveLength(2 * 1024 * 1024);
  }, 120_000);
});
