// boot-test: not yet.
import type { HelperContext } from './context.js';
import { refuse } from './helper-failure.js';
import type { SessionState } from './session-state.js';

// Boot-tests a restored tree.
export async function bootTest(_ctx: HelperContext, _session: SessionState, _dir: string, _timeoutS: number): Promise<object> {
  refuse('boot-test is not available yet');
}
