// A drill's boot test, through the host helper's `boot-test`: the helper starts the restored
// container directory as a temporary container without network and destroys it whatever happens.
// The helper finds `<restore_root>/<dir>/rootfs`; state_dir/drill is <restore_root>/drill
// (provision's bind mount), so `dir` is `drill/<scratch>/tree`.
import { HELPER_SOCKET_IN_CONTAINER } from '../../core/helper-protocol.js';
import { openHelperSession } from '../../core/helper-session.js';

// What the boot test found.
export interface BootResult {
  booted: boolean;
  detail: string;
  durationMs: number;
}

// Runs a boot test of `dir` (relative to the helper's restore root).
export type BootTester = (dir: string, timeoutS: number) => Promise<BootResult>;

// Where the helper's socket is: the provisioned bind mount, or $LXC_BACKUP_HELPER_SOCKET (tests).
export function helperSocketPath(env: NodeJS.ProcessEnv): string {
  return env.LXC_BACKUP_HELPER_SOCKET ?? HELPER_SOCKET_IN_CONTAINER;
}

// A BootTester that asks the helper at `socket`, one session per test (closing it undoes all).
export function helperBootTester(socket: string): BootTester {
  return async (dir, timeoutS) => {
    const session = await openHelperSession(socket, 10_000);
    try {
      // The helper bounds the boot itself; the extra minute covers starting and destroying.
      const reply = await session.request({ verb: 'boot-test', dir, timeout_s: timeoutS }, (timeoutS + 60) * 1000);
      return { booted: reply.booted, detail: reply.detail, durationMs: reply.duration_ms };
    } finally {
      session.close();
    }
  };
}
