// state, snapshot and release: a read-only snapshot of a guest's rootfs, taken while the guest
// is frozen (if it runs), exposed at <lxcpath>/.lxc-backup-snapshots/NAME/rootfs, held until
// `release` or the end of the session.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, mkdir, open, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage } from '../core/error-message.js';
import { escapeControl } from '../core/escape-control.js';
import { SNAPSHOT_DIR } from '../core/helper-protocol.js';
import { rootfsSource, snapshotSupport } from './backing.js';
import type { HelperContext } from './context.js';
import { dropHeld, writeHeld } from './held-records.js';
import { HelperFailure, refuse } from './helper-failure.js';
import type { HostContainer } from './inventory.js';
import { lxcFreeze, lxcState, lxcThaw } from './lxc-commands.js';
import { runChecked } from './run-bounded.js';
import type { SessionState } from './session-state.js';
import { snapshotPlan, zfsMountpointArgv } from './snapshot-plans.js';
import { runSteps } from './steps.js';

// A host config larger than this is not read (LXC configs are a few KiB).
const MAX_CONFIG = 1024 * 1024;

// The `state` reply: run state, backing store, whether a snapshot is possible.
export async function containerState(ctx: HelperContext, container: HostContainer): Promise<object> {
  const state = await lxcState(ctx.lxc, container.name);
  const backing = rootfsSource(await readConfig(container.config))?.backing ?? 'other';
  const support = snapshotSupport(backing);
  return { state, backing, snapshot: support.snapshot, ...(support.reason ? { snapshot_reason: support.reason } : {}) };
}

// Takes, exposes and records a snapshot of `container` for the session.
export async function takeSnapshot(ctx: HelperContext, session: SessionState, container: HostContainer, maxS: number): Promise<object> {
  const { name } = container;
  const shown = escapeControl(name);
  if (session.snapshots.has(name)) refuse(`this session holds a snapshot of ${shown} already`);
  const rootfs = rootfsSource(await readConfig(container.config));
  const support = snapshotSupport(rootfs?.backing ?? 'other');
  if (!rootfs || !support.snapshot) refuse(`${shown}: ${support.reason ?? 'no lxc.rootfs.path in its config'}`);
  const dir = await snapshotDirFor(ctx.config.lxcpath, name);
  const exposed = join(dir, 'rootfs');
  const id = randomBytes(4).toString('hex');
  const zfsMountpoint =
    rootfs.backing === 'zfs'
      ? (await runChecked(zfsMountpointArgv(rootfs.source), { timeoutMs: ctx.lxc.timeoutMs })).output.trim()
      : undefined;
  const plan = snapshotPlan(rootfs, { exposed, id, ...(zfsMountpoint ? { zfsMountpoint } : {}) });
  if (rootfs.backing !== 'btrfs') await mkdir(exposed, { mode: 0o700 });
  await writeHeld(ctx.config.state_dir, { kind: 'snapshot', name, release: plan.release, exposed });
  let pausedMs = 0;
  try {
    pausedMs = await whileFrozen(ctx, name, () => runSteps(plan.frozen, Math.min(maxS, ctx.config.max_freeze_s) * 1000));
    await runSteps(plan.expose, ctx.lxc.timeoutMs);
  } catch (error) {
    await undoSnapshot(ctx, name, plan.release).catch((undo) =>
      ctx.log.error(
        { container: name, verb: 'snapshot-undo', result: 'failed', error: errorMessage(undo) },
        'could not undo a failed snapshot',
      ),
    );
    ctx.log.warn(
      { container: name, verb: 'snapshot', result: 'failed', paused_ms: pausedMs, error: errorMessage(error) },
      'snapshot failed',
    );
    throw error instanceof HelperFailure ? error : new HelperFailure('failed', `snapshot of ${shown}: ${errorMessage(error)}`);
  }
  session.snapshots.set(name, { release: plan.release });
  ctx.log.info({ container: name, verb: 'snapshot', result: 'ok', backing: rootfs.backing, paused_ms: pausedMs }, 'took snapshot');
  return { path: `${SNAPSHOT_DIR}/${name}/rootfs`, backing: rootfs.backing, paused_ms: pausedMs };
}

// Releases the session's snapshot of `name`.
export async function releaseSnapshot(ctx: HelperContext, session: SessionState, name: string, verb = 'release'): Promise<void> {
  const held = session.snapshots.get(name);
  if (!held) refuse(`this session holds no snapshot of ${escapeControl(name)}`);
  session.snapshots.delete(name);
  await undoSnapshot(ctx, name, held.release);
  ctx.log.info({ container: name, verb, result: 'ok' }, 'released snapshot');
}

// Releases every snapshot of a session that ends.
export async function releaseAll(ctx: HelperContext, session: SessionState): Promise<void> {
  for (const name of [...session.snapshots.keys()]) {
    await ctx.locks
      .run(name, () => releaseSnapshot(ctx, session, name, 'release-on-close'))
      .catch((error) =>
        ctx.log.error({ container: name, verb: 'release-on-close', result: 'failed', error: errorMessage(error) }, 'could not release'),
      );
  }
}

// Runs the release steps (each tried even if one before failed), removes the exposed
// directories and the record. Throws the first step's failure after trying them all.
export async function undoSnapshot(ctx: HelperContext, name: string, release: string[][]): Promise<void> {
  const dir = join(ctx.config.lxcpath, SNAPSHOT_DIR, name);
  const failure = await runSteps(release, ctx.lxc.timeoutMs, { keepGoing: true }).then(
    () => undefined,
    (error: unknown) => error,
  );
  await rmdir(join(dir, 'rootfs')).catch(() => undefined);
  await rmdir(dir).catch(() => undefined);
  if (failure) throw new HelperFailure('failed', `releasing the snapshot of ${escapeControl(name)}: ${errorMessage(failure)}`);
  await dropHeld(ctx.config.state_dir, { kind: 'snapshot', name });
}

// Runs `action` with the guest frozen when it is RUNNING (a stopped or already FROZEN guest is
// left as it is); returns how long the guest was paused. The record makes a restart thaw it.
async function whileFrozen(ctx: HelperContext, name: string, action: () => Promise<void>): Promise<number> {
  if ((await lxcState(ctx.lxc, name)) !== 'RUNNING') {
    await action();
    return 0;
  }
  await writeHeld(ctx.config.state_dir, { kind: 'freeze', name });
  const started = Date.now();
  try {
    await lxcFreeze(ctx.lxc, name);
    await action();
  } finally {
    await lxcThaw(ctx.lxc, name).catch(() => lxcThaw(ctx.lxc, name));
    await dropHeld(ctx.config.state_dir, { kind: 'freeze', name });
  }
  return Date.now() - started;
}

// <lxcpath>/.lxc-backup-snapshots/NAME, made fresh (0700); refused when it exists already.
async function snapshotDirFor(lxcpath: string, name: string): Promise<string> {
  const top = join(lxcpath, SNAPSHOT_DIR);
  await mkdir(top, { mode: 0o700 }).catch(() => undefined);
  if (!(await lstat(top)).isDirectory()) throw new HelperFailure('failed', `${top}: expected a directory, found something else`);
  const dir = join(top, name);
  await mkdir(dir, { mode: 0o700 }).catch((error) =>
    refuse(`${dir} exists: a snapshot of ${escapeControl(name)} is held already (${errorMessage(error)})`),
  );
  return dir;
}

// The host's config of a container, read without following a link and bounded in size.
async function readConfig(path: string): Promise<string> {
  const file = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const { size } = await file.stat();
    if (size > MAX_CONFIG) throw new HelperFailure('failed', `${path}: expected at most ${MAX_CONFIG} bytes, found ${size}`);
    return await file.readFile('utf8');
  } finally {
    await file.close();
  }
}
