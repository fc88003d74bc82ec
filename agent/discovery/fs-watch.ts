// The one module that knows chokidar: watches a directory tree to a fixed depth.
import { watch } from 'chokidar';
import { relative, sep } from 'node:path';

export type FsEventKind = 'add' | 'change' | 'unlink' | 'addDir' | 'unlinkDir';

export interface FsWatchOptions {
  // Levels below `root` that are read (0: only root's entries).
  depth: number;
  // Whether a path (split into segments relative to root) is watched at all. Rejected
  // directories are never entered, which keeps the inotify watch count small.
  accept(segments: string[], isDirectory: boolean | undefined): boolean;
  // Whether symlinks are followed (chokidar's default). Off for host_root: a guest-made link
  // must not pull the watch (and `isDirectory`) onto whatever it points at.
  followSymlinks?: boolean;
}

export interface FsWatch {
  // Resolves once the initial walk is done and events are live.
  ready: Promise<void>;
  close(): Promise<void>;
}

// Watches `root`; `onEvent` gets the kind and absolute path of every accepted change.
export function watchTree(
  root: string,
  options: FsWatchOptions,
  onEvent: (kind: FsEventKind, path: string) => void,
  onError: (error: Error) => void,
): FsWatch {
  const watcher = watch(root, {
    depth: options.depth,
    ignoreInitial: true,
    persistent: true,
    followSymlinks: options.followSymlinks ?? true,
    ignored: (path, stats) => {
      const rel = relative(root, path);
      if (rel === '') return false;
      return !options.accept(rel.split(sep), stats ? stats.isDirectory() : undefined);
    },
  });
  for (const kind of ['add', 'change', 'unlink', 'addDir', 'unlinkDir'] as const) {
    watcher.on(kind, (path: string) => onEvent(kind, path));
  }
  watcher.on('error', (error) => onError(error instanceof Error ? error : new Error(String(error))));
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return { ready, close: () => watcher.close() };
}
