// At start: undo whatever a previous helper held when it died. Thaw the recorded freezes that
// are still FROZEN, release the recorded snapshots, stop and remove boot-test containers, and
// clear what is left under <lxcpath>/.lxc-backup-snapshots; then delete the records.
import { lstat, readdir, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage } from '../core/error-message.js';
import { SNAPSHOT_DIR } from '../core/helper-protocol.js';
import { removeBootContainer } from './boot-container.js';
import type { HelperContext } from './context.js';
import { dropHeld, type HeldRecord, listHeld } from './held-records.js';
import { lxcState, lxcThaw } from './lxc-commands.js';
import { runBounded } from './run-bounded.js';
import { undoSnapshot } from './snapshots.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;

// Undoes every record and leftover; logs each and never throws.
export async function recoverLeftovers(ctx: HelperContext): Promise<void> {
  const { records, bad } = await listHeld(ctx.config.state_dir);
  for (const file of bad) ctx.log.warn({ verb: 'recover', result: 'ignored', file }, 'unreadable record of a previous helper');
  for (const record of records) {
    try {
      if (NAME.test(record.name)) await undoRecord(ctx, record);
      ctx.log.info({ container: record.name, verb: `recover-${record.kind}`, result: 'ok' }, 'undid what a previous helper held');
    } catch (error) {
      ctx.log.error(
        { container: record.name, verb: `recover-${record.kind}`, result: 'failed', error: errorMessage(error) },
        'could not undo',
      );
    }
    await dropHeld(ctx.config.state_dir, record);
  }
  await sweepSnapshotDir(ctx);
}

async function undoRecord(ctx: HelperContext, record: HeldRecord): Promise<void> {
  if (record.kind === 'freeze') {
    // Only a guest that is still FROZEN; one that runs was thawed, and we thaw nothing else.
    if ((await lxcState(ctx.lxc, record.name).catch(() => '')) === 'FROZEN') await lxcThaw(ctx.lxc, record.name);
  } else if (record.kind === 'snapshot') {
    await undoSnapshot(ctx, record.name, record.release);
  } else {
    await removeBootContainer(ctx, record.lxcpath, record.name);
  }
}

// Whatever is left under the snapshot directory without a record: unmounted, a btrfs
// subvolume deleted, the empty directories removed. Never a recursive delete.
async function sweepSnapshotDir(ctx: HelperContext): Promise<void> {
  const top = join(ctx.config.lxcpath, SNAPSHOT_DIR);
  const topStat = await lstat(top).catch(() => undefined);
  if (!topStat?.isDirectory()) return;
  const timeoutMs = ctx.lxc.timeoutMs;
  for (const name of await readdir(top)) {
    const dir = join(top, name);
    const rootfs = join(dir, 'rootfs');
    if ((await lstat(rootfs).catch(() => undefined))?.isDirectory()) {
      if ((await runBounded(['mountpoint', '-q', rootfs], { timeoutMs })).code === 0) await runBounded(['umount', rootfs], { timeoutMs });
      if ((await runBounded(['btrfs', 'subvolume', 'show', rootfs], { timeoutMs })).code === 0) {
        await runBounded(['btrfs', 'subvolume', 'delete', rootfs], { timeoutMs });
      }
      await rmdir(rootfs).catch(() => undefined);
    }
    await rmdir(dir).then(
      () => ctx.log.info({ container: name, verb: 'recover-sweep', result: 'ok' }, 'removed a leftover snapshot directory'),
      (error) =>
        ctx.log.error({ container: name, verb: 'recover-sweep', result: 'failed', error: errorMessage(error) }, 'could not remove'),
    );
  }
}
