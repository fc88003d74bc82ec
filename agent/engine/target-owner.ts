// Target ownership: before an agent writes to a target (backup, prune) it checks the owner
// marker there, so a second backup container or another host never mixes its sets into our
// chains (each would fail the other's with "wrong passphrase").
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FailureKind } from '../core/job.js';
import { targetScheme } from '../policy/target.js';
import type { JobContext } from './job-context.js';
import { fileTargetDir, readFileMarker, writeFileMarker, type TargetMarkerState } from './target-owner/marker-file.js';
import { readRemoteMarker, writeRemoteMarker } from './target-owner/marker-remote.js';
import { describeOwner, formatMarker, isOwnedBy, markerFor, parseMarker, previousOf, refusalMessage } from './target-owner/marker.js';

// Remote targets known to be ours, so a normal backup costs no extra round trip. A local
// target is always read: that is cheap, and the second agent on one host is the likely case.
const ownedInMemory = new Set<string>();

// Why a job may not write to its target: another owner (permanent), or the marker could not be
// read or written (transient: the target may be down).
export interface TargetRefusal {
  kind: FailureKind;
  message: string;
}

// Claims the container's target for this agent, or says why not: no marker → ours (first
// use); our marker → go on; another's → refuse, the target untouched.
export async function claimTarget(ctx: JobContext): Promise<TargetRefusal | undefined> {
  try {
    return await claim(ctx);
  } catch (error) {
    return { kind: 'transient', message: error instanceof Error ? error.message : String(error) };
  }
}

async function claim(ctx: JobContext): Promise<TargetRefusal | undefined> {
  const target = ctx.container.target;
  const remote = targetScheme(target) !== 'file';
  const key = `${ctx.owner.id} ${target}`;
  if (remote && (ownedInMemory.has(key) || (await ownedOnDisk(ctx)).includes(target))) return undefined;
  const state = await readMarker(ctx);
  if (state.text === undefined) {
    // Duplicity files without a marker were written before markers existed, by us.
    await writeMarker(ctx, formatMarker(markerFor(ctx.owner, ctx.layout.name, state.otherFiles ? { adopted_existing_files: true } : {})));
  } else {
    const marker = parseMarker(state.text);
    if ('problem' in marker || !isOwnedBy(marker, ctx.owner))
      return { kind: 'permanent', message: refusalMessage(target, ctx.layout.name, marker) };
  }
  if (remote) await remember(ctx, key);
  return undefined;
}

// Takes the container's target over (`lxc-backup adopt`), keeping the previous owner in the
// marker. Returns who owned it before, for the message.
export async function adoptTarget(ctx: JobContext): Promise<string> {
  const state = await readMarker(ctx);
  const old = state.text === undefined ? undefined : parseMarker(state.text);
  const previous = previousOf(old);
  await writeMarker(ctx, formatMarker(markerFor(ctx.owner, ctx.layout.name, previous ? { previous } : {})));
  if (targetScheme(ctx.container.target) !== 'file') await remember(ctx, `${ctx.owner.id} ${ctx.container.target}`);
  if (!old) return 'no owner';
  if ('problem' in old) return `an unreadable marker (${old.problem})`;
  return isOwnedBy(old, ctx.owner) ? 'this agent already' : describeOwner(old);
}

function readMarker(ctx: JobContext): Promise<TargetMarkerState> {
  const target = ctx.container.target;
  return targetScheme(target) === 'file' ? readFileMarker(fileTargetDir(target)) : readRemoteMarker(ctx);
}

function writeMarker(ctx: JobContext, text: string): Promise<void> {
  const target = ctx.container.target;
  return targetScheme(target) === 'file' ? writeFileMarker(fileTargetDir(target), text) : writeRemoteMarker(ctx, text);
}

// state_dir/owned-targets.json: remote targets this identity has checked. Losing it only
// costs one re-check per target, so a damaged file reads as empty.
function cacheFile(ctx: JobContext): string {
  return join(ctx.policy.state_dir, 'owned-targets.json');
}

async function ownedOnDisk(ctx: JobContext): Promise<string[]> {
  const text = await readFile(cacheFile(ctx), 'utf8').catch(() => '');
  try {
    const value = JSON.parse(text) as { owner_id?: unknown; targets?: unknown };
    if (value.owner_id !== ctx.owner.id || !Array.isArray(value.targets)) return [];
    return value.targets.filter((t): t is string => typeof t === 'string');
  } catch {
    return [];
  }
}

async function remember(ctx: JobContext, key: string): Promise<void> {
  ownedInMemory.add(key);
  const targets = new Set(await ownedOnDisk(ctx));
  targets.add(ctx.container.target);
  const file = cacheFile(ctx);
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify({ owner_id: ctx.owner.id, targets: [...targets] })}\n`, { mode: 0o600 });
  await rename(temp, file);
}
