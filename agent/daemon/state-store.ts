// state_dir/state.json: loaded once, written atomically (temp file, fsync, rename) after
// every change; a corrupt file is set aside and rebuilt instead of stopping the agent.
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { emptyState, stateSchema, type AgentState } from './state.js';

export interface StateLoad {
  state: AgentState;
  // Where a corrupt file was moved, when it was.
  setAside?: string;
  problem?: string;
  // No state file existed.
  missing?: boolean;
}

// Reads state.json; missing gives an empty state, corrupt is renamed to state.json.corrupt-TIME.
export async function loadState(stateDir: string, now = new Date()): Promise<StateLoad> {
  const file = join(stateDir, 'state.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: emptyState(), missing: true };
    throw error;
  }
  let problem: string;
  try {
    const parsed = stateSchema.safeParse(JSON.parse(text));
    if (parsed.success) return { state: parsed.data };
    problem = `expected the state format (version 1), got: ${parsed.error.issues[0]?.message ?? 'invalid data'}`;
  } catch (error) {
    problem = `expected JSON, got: ${(error as Error).message}`;
  }
  const setAside = `${file}.corrupt-${now.toISOString().replace(/[:.]/g, '-')}`;
  await rename(file, setAside);
  return { state: emptyState(), setAside, problem };
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
