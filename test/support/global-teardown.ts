// After the whole suite: stop any gpg-agent a test's duplicity started in a temp GnuPG home
// that its test did not clean up (tests remove their dirs with removeDir, which does this).
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopGpgAgents } from './temp.js';

export default function setup(): () => Promise<void> {
  return async () => {
    // Every test temp dir is named lxc-backup-* (makeTempDir); match them all by prefix.
    await stopGpgAgents(join(tmpdir(), 'lxc-backup-'));
  };
}
