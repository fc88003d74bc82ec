// Live policy: watches the policy file's directory (editors replace files by rename),
// debounces, re-reads; an invalid edit keeps the last good policy and reports why.
import { basename, dirname } from 'node:path';
import { watchTree, type FsWatch } from '../discovery/fs-watch.js';
import { PolicyReadError, readPolicy } from '../policy/load.js';
import { formatProblem } from '../policy/problem.js';
import type { Policy } from '../policy/schema.js';

// The result of one reload: the new policy, or the problems (formatted lines) with it.
export type Reload = { policy: Policy } | { problems: string[] };

// Reads the policy file into a Reload (never throws for a bad or missing file).
export async function reloadPolicy(path: string): Promise<Reload> {
  try {
    const result = await readPolicy(path);
    return result.policy ? { policy: result.policy } : { problems: result.problems.map(formatProblem) };
  } catch (error) {
    if (error instanceof PolicyReadError) return { problems: [error.message] };
    throw error;
  }
}

export interface PolicyWatch {
  ready: Promise<void>;
  close(): Promise<void>;
}

// Calls `onReload` about `debounceMs` after the last change to the file.
export function watchPolicy(
  path: string,
  onReload: (reload: Reload) => void,
  onError: (error: Error) => void,
  debounceMs = 150,
): PolicyWatch {
  const name = basename(path);
  let timer: NodeJS.Timeout | undefined;
  const watcher: FsWatch = watchTree(
    dirname(path),
    { depth: 0, accept: (segments) => segments.length === 1 && segments[0] === name },
    () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        reloadPolicy(path).then(onReload, onError);
      }, debounceMs);
    },
    onError,
  );
  return {
    ready: watcher.ready,
    async close() {
      clearTimeout(timer);
      await watcher.close();
    },
  };
}
