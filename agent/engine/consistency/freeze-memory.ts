// Remembers that a container's last freeze hit max_freeze, so its next try runs live at once
// instead of pausing the guest for max_freeze again; that try forgets it, the one after
// freezes again. Kept under state_dir so the CLI and the agent share it.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { containerFileName } from '../duplicity/container-file-name.js';

function markerPath(stateDir: string, name: string): string {
  return join(stateDir, 'consistency', containerFileName(name, '.freeze-limit'));
}

// Records that the freeze of `name` hit its limit now.
export async function rememberFreezeLimit(stateDir: string, name: string, at: Date): Promise<void> {
  const path = markerPath(stateDir, name);
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFile(path, `${at.toISOString()}\n`, { mode: 0o600 });
}

// When the last freeze of `name` hit its limit (an ISO time), consuming the record; undefined when it did not.
export async function takeFreezeLimit(stateDir: string, name: string): Promise<string | undefined> {
  const path = markerPath(stateDir, name);
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  await rm(path, { force: true });
  const at = text.trim().slice(0, 40);
  return /^[0-9TZ:.-]+$/.test(at) ? at : 'an earlier run';
}
