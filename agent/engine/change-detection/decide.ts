// Whether a backup may skip duplicity because nothing it would hold has changed (pure).
//
// Why a guest cannot fake "unchanged": every entry's ctime is in the fingerprint, and ctime is
// set by the kernel from the host's clock on every change to an inode (content, mode, owner,
// xattrs, links, rename). No syscall sets it to a chosen value; only setting the clock would,
// and a container has no CAP_SYS_TIME (time namespaces do not cover CLOCK_REALTIME). Content
// changes that keep size and mtime (`touch -d` afterwards) still move ctime. Renames, deletes
// and new entries change the path list and their directory's mtime and ctime.
//
// Limits, each answered by a real backup rather than a skip:
// - The host clock stepping back can give a changed inode a ctime it had before. A fingerprint
//   whose newest ctime was within SETTLE_SECONDS of its walk, or after it, is not settled and
//   never allows a skip; a record written "in the future" (backed_up_at after now) neither.
// - Coarse timestamps (1-2 s on some filesystems): a change in the same tick as the previous
//   one, right after the walk, keeps ctime; the same settle margin covers that.
// - Writes through a shared mmap reach ctime only at the next page fault or writeback; a
//   running container's files change all the time anyway, so this matters for stopped ones,
//   which have no writer. duplicity itself compares only size and mtime.
// - Whatever is excluded by a pattern the matcher cannot copy (engine/exclude-globs.ts) is kept in
//   the fingerprint, so a change there costs a real backup, never a missed one.
// max_unchanged bounds all of these: past it a real incremental runs whatever the fingerprint.

// What the decision looks at.
export interface ChangeFacts {
  /** an explicit backup (CLI, `backup --full`): always runs */
  explicit: boolean;
  previous?: { fingerprint: string; settled: boolean; settings: string; target: string; backedUpAtMs: number; cacheIntact: boolean };
  current: { fingerprint: string; settings: string; target: string };
  /** the newest full's time from the cache, undefined when none */
  lastFullMs?: number;
  /** full_every in ms, undefined when never */
  fullEveryMs?: number;
  maxUnchangedMs: number;
  nowMs: number;
}

// Skip, or run with the reason (for the log).
export type ChangeDecision = { skip: true } | { skip: false; reason: string };

// The decision table, first matching row wins.
export function decideUnchanged(facts: ChangeFacts): ChangeDecision {
  const run = (reason: string): ChangeDecision => ({ skip: false, reason });
  const { previous, current, nowMs } = facts;
  if (facts.explicit) return run('explicit backup');
  if (!previous) return run('no record of an earlier backup');
  if (!previous.settled) return run('the last backup saw entries changed moments before it');
  if (previous.fingerprint !== current.fingerprint) return run('the container changed');
  if (previous.settings !== current.settings) return run('the policy for this container changed');
  if (previous.target !== current.target) return run('the target changed');
  if (!previous.cacheIntact) return run("duplicity's archive cache changed");
  if (previous.backedUpAtMs > nowMs) return run('the clock is behind the last backup');
  if (nowMs - previous.backedUpAtMs >= facts.maxUnchangedMs) return run('max_unchanged reached');
  if (facts.fullEveryMs !== undefined) {
    if (facts.lastFullMs === undefined || facts.lastFullMs > nowMs) return run('no full backup in the cache');
    if (nowMs - facts.lastFullMs >= facts.fullEveryMs) return run('a full backup is due (full_every)');
  }
  return { skip: true };
}
