// After the whole suite: stop any gpg-agent a test's duplicity started in a temp GnuPG home
// that its test did not clean up (tests remove their dirs with removeDir, which does this).
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopGpgAgents } from './temp.js';

export default function setup(): () => Promise<void> {
  return async () => {
    // scripts/test runs vitest several times, two at once, so it turns this off and sweeps
    // itself once every run has ended (a run must not stop agents the other one still uses).
    if (process.env.LXCB_TEST_GPG_SWEEP === '0') return;
    // Every test temp dir is named lxc-backup-* (makeTempDir); match them all by prefix.
    await stopGpgAgents(join(tmpdir(), 'lxc-backup-'));
  };
}
