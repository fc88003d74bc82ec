// What the agent tidies at start, before any job of its own runs.
import { join } from 'node:path';
import type { Log } from '../core/log.js';
import type { Policy } from '../policy/schema.js';
import { cleanTempDir } from './clean-temp.js';
import { errorMessage } from '../core/error-message.js';

// Removes duplicity temp directories that killed runs left in state_dir/tmp; logs what it did.
export async function cleanLeftovers(policy: Policy, startedAt: Date, log: Log): Promise<void> {
  const tempDir = join(policy.state_dir, 'tmp');
  try {
    const result = await cleanTempDir(tempDir, startedAt);
    if (result.inUseBy !== undefined) {
      log.info({ temp_dir: tempDir, pid: result.inUseBy }, `left ${tempDir} alone: duplicity (pid ${result.inUseBy}) is using it`);
    } else if (result.removed > 0) {
      log.info(
        { temp_dir: tempDir, removed: result.removed, bytes: result.bytes },
        `removed ${result.removed} leftover duplicity temp entr${result.removed === 1 ? 'y' : 'ies'} (${result.bytes} bytes) from ${tempDir}`,
      );
    }
  } catch (error) {
    log.warn({ temp_dir: tempDir, err: errorMessage(error) }, `cannot clean ${tempDir}: ${errorMessage(error)}`);
  }
}
