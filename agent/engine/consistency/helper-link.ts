// Opens the session with the host helper for one job and asks for the container's state; the
// answer feeds decide.ts. Nothing answering is not an error: the backup then runs live.
import { HelperError, type HelperSession, openHelperSession } from '../../core/helper-session.js';
import { errorMessage } from '../../core/error-message.js';
import type { ModeInput } from './decide.js';

// How long connecting and a quick request (state, freeze, thaw, release) may take.
export const QUICK_REQUEST_MS = 15_000;

// A session (when the helper answered) and what it said about the container.
export interface HelperLink {
  session?: HelperSession;
  helper: ModeInput['helper'];
}

// Connects to the helper at `socketPath` and reads the state of container `name`.
export async function linkHelper(socketPath: string, name: string, open = openHelperSession): Promise<HelperLink> {
  let session: HelperSession;
  try {
    session = await open(socketPath, QUICK_REQUEST_MS);
  } catch (error) {
    return { helper: { available: false, reason: `host helper not available at ${socketPath}: ${shortMessage(error)}` } };
  }
  try {
    const state = await session.request({ verb: 'state', name }, QUICK_REQUEST_MS);
    return {
      session,
      helper: {
        available: true,
        state: state.state,
        backing: state.backing,
        snapshot: state.snapshot,
        ...(state.snapshot_reason ? { snapshotReason: state.snapshot_reason } : {}),
      },
    };
  } catch (error) {
    session.close();
    return {
      helper: { available: false, reason: `host helper at ${socketPath} did not give the state of ${name}: ${errorMessage(error)}` },
    };
  }
}

// The helper's words without repeating the socket path the caller already names.
function shortMessage(error: unknown): string {
  const message = errorMessage(error);
  return error instanceof HelperError ? message.replace(/^host helper at [^:]*: /, '') : message;
}
