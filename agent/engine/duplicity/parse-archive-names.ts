// Chains and sets from the file names in duplicity's local archive dir (the cache it keeps
// in step with the target at the start of every run), so a job can summarise its chains
// without starting duplicity again.
//   duplicity-full.20261128T162848Z.manifest
//   duplicity-inc.20261128T162848Z.to.20261128T162850Z.manifest
import type { BackupChain, BackupSet, CollectionStatus } from './parse-collection-status.js';
import { fromDuplicityTime } from './time-format.js';

const FULL = /^duplicity-full\.(\d{8}T\d{6}Z)\.manifest$/;
const INC = /^duplicity-inc\.(\d{8}T\d{6}Z)\.to\.(\d{8}T\d{6}Z)\.manifest$/;

// The collection the manifest names describe; the newest chain counts as the primary one.
// Volume counts are not in the names and are reported as 0.
export function collectionFromArchiveNames(names: readonly string[]): CollectionStatus {
  // Times are turned into ISO-8601 at once: they sort (and match) just like duplicity's.
  const fulls = names.flatMap((name) => isoTimes(FULL.exec(name)?.[1])).sort();
  const incs = names
    .flatMap((name) => {
      const [, from = '', to = ''] = INC.exec(name) ?? [];
      const [fromTime, toTime] = [fromDuplicityTime(from), fromDuplicityTime(to)];
      return fromTime && toTime ? [{ from: fromTime, to: toTime }] : [];
    })
    .sort((a, b) => a.to.localeCompare(b.to));
  const chains: BackupChain[] = fulls.map((full) => {
    const sets: BackupSet[] = [{ type: 'full', time: full, volumes: 0 }];
    // Each incremental extends the set that ends where it starts.
    let end = full;
    for (const inc of incs) {
      if (inc.from === end) {
        sets.push({ type: 'inc', time: inc.to, volumes: 0 });
        end = inc.to;
      }
    }
    return { kind: 'secondary', sets, startTime: full, endTime: end };
  });
  const newest = chains.at(-1);
  if (newest) newest.kind = 'primary';
  const status: CollectionStatus = { chains, orphanedOrIncomplete: 0 };
  const lastFull = fulls.at(-1);
  if (lastFull) status.lastFull = lastFull;
  return status;
}

// A duplicity time as [ISO-8601], or [] when there is none (for flatMap).
function isoTimes(text: string | undefined): string[] {
  const time = text === undefined ? undefined : fromDuplicityTime(text);
  return time ? [time] : [];
}
