// Change detection around one backup: fed by the capture's walk, it decides whether duplicity
// may be skipped (decide.ts says why that is safe) and, after a real backup, records what it
// saw for the next one.
import { durationMsExact } from '../../policy/duration.js';
import { fromDuplicityTime } from '../duplicity/time-format.js';
import type { JobContext } from '../job-context.js';
import { readCacheListing, sameListing } from './archive-cache.js';
import { readChangeRecord, writeChangeRecord } from './change-record.js';
import { decideUnchanged, type ChangeDecision } from './decide.js';
import { compileExcludes } from '../exclude-globs.js';
import { settingsDigest } from './settings-digest.js';
import { createFingerprintCollector, type WalkFingerprint } from './walk-fingerprint.js';

// One backup's check: `hooks` go to the capture (the walk's chunks, and for a backup that may
// skip, the decision right after the walk, so an unchanged container skips getfattr too);
// decision() after the capture.
export interface ChangeCheck {
  hooks: { onWalk(chunk: Buffer): void; afterWalk?: () => Promise<boolean> };
  decision(): Promise<ChangeDecision>;
  /** after a real backup succeeded: keep what the walk saw (never fails the backup) */
  remember(now?: Date): Promise<void>;
}

// Starts the check; call before the capture starts its walk. `explicit`: never skips.
export async function startChangeCheck(ctx: JobContext, explicit: boolean, startedMs = Date.now()): Promise<ChangeCheck> {
  const { layout, container, policy } = ctx;
  const record = await readChangeRecord(policy.state_dir, layout.name);
  const since = record ? Date.parse(record.walked_at) : undefined;
  const collector = createFingerprintCollector(compileExcludes(container.settings.exclude), startedMs, since);
  let walk: WalkFingerprint | undefined;
  let settings: string | undefined;
  const finish = (): WalkFingerprint => {
    walk ??= collector.finish();
    return walk;
  };
  const decide = async (now = new Date()): Promise<ChangeDecision> => {
    const current = finish();
    try {
      settings = settingsDigest(ctx);
    } catch {
      return { skip: false, reason: 'a secret the policy names is unset' };
    }
    const cache = await readCacheListing(layout.archiveDir, layout.name);
    const newestFull = Object.keys(cache).flatMap((file) => /^duplicity-full\.(\d{8}T\d{6}Z)\.manifest$/.exec(file)?.[1] ?? []);
    const lastFull = newestFull.map((time) => fromDuplicityTime(time)).find((iso) => iso !== undefined);
    const { full_every: fullEvery, max_unchanged: maxUnchanged } = container.settings;
    const decision = decideUnchanged({
      explicit,
      ...(record
        ? {
            previous: {
              fingerprint: record.fingerprint,
              settled: record.settled,
              settings: record.settings,
              target: record.target,
              backedUpAtMs: Date.parse(record.backed_up_at),
              cacheIntact: sameListing(record.cache, cache),
            },
          }
        : {}),
      current: { fingerprint: current.digest, settings, target: container.target },
      ...(lastFull ? { lastFullMs: Date.parse(lastFull) } : {}),
      ...(fullEvery ? { fullEveryMs: durationMsExact(fullEvery) } : {}),
      maxUnchangedMs: durationMsExact(maxUnchanged),
      nowMs: now.getTime(),
    });
    if (decision.skip || current.ctimeOnly === 0) return decision;
    // Worth saying: duplicity's incremental keeps such a file's old content if only its bytes changed.
    return { ...decision, reason: `${decision.reason} (${current.ctimeOnly} file(s) with a new ctime but an old mtime)` };
  };
  let decided: Promise<ChangeDecision> | undefined;
  const decision = (): Promise<ChangeDecision> => {
    decided ??= decide();
    return decided;
  };
  return {
    hooks: {
      onWalk: (chunk) => collector.write(chunk),
      ...(explicit ? {} : { afterWalk: async () => !(await decision()).skip }),
    },
    decision,
    async remember(now = new Date()) {
      const seen = finish();
      try {
        settings ??= settingsDigest(ctx);
        await writeChangeRecord(policy.state_dir, layout.name, {
          version: 1,
          fingerprint: seen.digest,
          entries: seen.entries,
          settled: seen.settled,
          settings,
          target: container.target,
          walked_at: new Date(startedMs).toISOString(),
          backed_up_at: now.toISOString(),
          cache: await readCacheListing(layout.archiveDir, layout.name),
        });
      } catch {
        // Without a record the next backup simply runs.
      }
    },
  };
}
