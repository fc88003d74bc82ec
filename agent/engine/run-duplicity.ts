// Runs one built duplicity command and turns its end into an outcome with a one-line reason.
import type { DuplicityCommand } from './duplicity/argv.js';
import { classifyExit } from './duplicity/exit-codes.js';
import { spawnProcess, type SpawnResult } from './process/spawn.js';
import type { FailureKind } from '../core/job.js';

export interface DuplicityRun {
  ok: boolean;
  result: SpawnResult;
  failure?: { kind: FailureKind; message: string };
}

export interface RunOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  echo?: boolean;
  graceMs?: number;
  // Each stdout/stderr line as it arrives; with bufferStdout false, stdout is not kept.
  onLine?: (line: string) => void;
  bufferStdout?: boolean;
}

// Runs `command`; never rejects for a failing duplicity.
export async function runDuplicity(command: DuplicityCommand, options: RunOptions = {}): Promise<DuplicityRun> {
  const result = await spawnProcess(command.file, command.args, {
    // English messages and UTC times, which the parsers (and users comparing times) rely on.
    env: { ...command.env, LC_ALL: 'C.UTF-8', TZ: 'UTC' },
    captureFd3: command.machineLog ?? false,
    signal: options.signal,
    timeoutMs: options.timeoutMs,
    graceMs: options.graceMs ?? 30_000,
    echo: options.echo ?? false,
    ...(options.onLine ? { onLine: options.onLine } : {}),
    ...(options.bufferStdout === false ? { bufferStdout: false } : {}),
  });
  if (result.startError) {
    return { ok: false, result, failure: { kind: 'permanent', message: `cannot start ${command.file}: ${result.startError}` } };
  }
  if (result.timedOut) return { ok: false, result, failure: { kind: 'transient', message: 'timed out: stopped by the job timeout' } };
  if (result.canceled) return { ok: false, result, failure: { kind: 'transient', message: 'interrupted: stopped on request' } };
  if (result.exitCode === 0) return { ok: true, result };
  const tail = result.stderr.split('\n').slice(-40).join('\n');
  return { ok: false, result, failure: classifyExit(result.exitCode ?? null, tail, result.signal ?? null) };
}
