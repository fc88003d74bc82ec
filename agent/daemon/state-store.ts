// state_dir/state.json: loaded once, written atomically (temp file, fsync, rename) after
// every change; a corrupt or unusable file is set aside and rebuilt instead of stopping the agent.
import type { Stats } from 'node:fs';
import { lstat, mkdir, open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { emptyState, stateSchema, type AgentState } from './state.js';
import { errnoCode, errorMessage } from '../core/error-message.js';

export interface StateLoad {
  state: AgentState;
  // Where a corrupt file was moved, when it was.
  setAside?: string;
  problem?: string;
  // No state file existed.
  missing?: boolean;
}

// A state file the agent can neither use nor move aside; its message is one line.
export class StateFileError extends Error {
  override name = 'StateFileError';
}

// state.json holds a few hundred bytes per container: anything this large is not ours.
const MAX_STATE_BYTES = 64 * 1024 * 1024;

// The text of `file`, undefined when it does not exist, or why it cannot be used.
async function readStateText(file: string): Promise<{ text?: string; problem?: string }> {
  let info: Stats;
  try {
    info = await lstat(file);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return {};
    return { problem: `expected a readable file, got ${errnoCode(error) ?? errorMessage(error)}` };
  }
  if (!info.isFile()) return { problem: `expected a regular file, got ${kindOf(info)}` };
  if (info.size > MAX_STATE_BYTES) return { problem: `expected at most ${MAX_STATE_BYTES} bytes, got ${info.size}` };
  try {
    return { text: await readFile(file, 'utf8') };
  } catch (error) {
    return { problem: `expected a readable file, got ${errnoCode(error) ?? errorMessage(error)}` };
  }
}

function kindOf(info: Stats): string {
  if (info.isDirectory()) return 'a directory';
  if (info.isSymbolicLink()) return 'a symlink';
  return 'a special file';
}

// Reads state.json; missing gives an empty state; corrupt or unusable (a directory, a symlink,
// unreadable, too large) is renamed to state.json.corrupt-TIME so the agent rebuilds it.
export async function loadState(stateDir: string, now = new Date()): Promise<StateLoad> {
  const file = join(stateDir, 'state.json');
  const read = await readStateText(file);
  let problem = read.problem;
  if (read.text === undefined && problem === undefined) return { state: emptyState(), missing: true };
  if (read.text !== undefined) {
    try {
      const parsed = stateSchema.safeParse(JSON.parse(read.text));
      if (parsed.success) return { state: parsed.data };
      problem = `expected the state format (version 1), got: ${parsed.error.issues[0]?.message ?? 'invalid data'}`;
    } catch (error) {
      problem = `expected JSON, got: ${errorMessage(error)}`;
    }
  }
  const setAside = `${file}.corrupt-${now.toISOString().replace(/[:.]/g, '-')}`;
  await rename(file, setAside).catch((error: unknown) => {
    throw new StateFileError(
      `${file}: ${problem}; cannot move it aside (${errnoCode(error) ?? errorMessage(error)}): move it away by hand and start again`,
    );
  });
  return { state: emptyState(), setAside, ...(problem ? { problem } : {}) };
}

// Writes state.json atomically; concurrent calls are serialized and coalesced.
export function createStateWriter(stateDir: string): { write(state: AgentState): Promise<void> } {
  const file = join(stateDir, 'state.json');
  let chain: Promise<void> = Promise.resolve();
  let queued: AgentState | undefined;

  const writeOnce = async (state: AgentState): Promise<void> => {
    await mkdir(stateDir, { recursive: true, mode: 0o700 });
    const temp = `${file}.tmp-${process.pid}`;
    const handle = await open(temp, 'w', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(state, null, 2)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
    // The rename itself is durable only once the directory is synced.
    const dir = await open(stateDir, 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  };

  return {
    write(state) {
      queued = structuredClone(state);
      // Each call appends one link; a link finding nothing queued was coalesced into an earlier one.
      chain = chain
        .catch(() => undefined)
        .then(() => {
          const next = queued;
          queued = undefined;
          return next ? writeOnce(next) : undefined;
        });
      return chain;
    },
  };
}
