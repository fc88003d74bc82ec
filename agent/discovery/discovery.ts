// Keeps the set of containers under host_root current: an initial scan, then a chokidar
// watch limited to the container level (host_root/NAME and host_root/NAME/config only,
// never inside a rootfs), so the watch count stays about 2 per container.
import type { ContainerInfo } from './container-info.js';
import { watchTree, type FsEventKind, type FsWatch } from './fs-watch.js';
import { readContainer, scanHostRoot } from './scan.js';
import { relative, sep } from 'node:path';

// What discovery tells the daemon.
export interface DiscoveryHandlers {
  // A container that appeared while the agent runs, once its config stopped changing for `settle`.
  appeared(info: ContainerInfo): void;
  // A known container's config changed (re-read).
  changed(info: ContainerInfo): void;
  // A known container's directory or config is gone.
  vanished(name: string): void;
  error(error: Error): void;
}

export interface DiscoveryOptions {
  hostRoot: string;
  settleMs: number;
  handlers: DiscoveryHandlers;
  // Delay before re-reading after a change or removal, so an editor's replace-by-rename is one event.
  recheckMs?: number;
}

export interface Discovery {
  // Scans host_root and starts watching; resolves with the containers found at start.
  start(): Promise<ContainerInfo[]>;
  setSettleMs(ms: number): void;
  // Directories seen but not taken on yet, with when their settle window ends (for status).
  settling(): Array<{ name: string; dueAt: Date }>;
  close(): Promise<void>;
}

// Creates the discovery of containers under `hostRoot`.
export function createDiscovery(options: DiscoveryOptions): Discovery {
  const { hostRoot, handlers } = options;
  const recheckMs = options.recheckMs ?? 200;
  let settleMs = options.settleMs;
  const known = new Set<string>();
  const settling = new Map<string, NodeJS.Timeout>();
  const settleDue = new Map<string, number>();
  const rechecks = new Map<string, NodeJS.Timeout>();
  let watcher: FsWatch | undefined;
  let closed = false;

  const report = (error: unknown): void => handlers.error(error instanceof Error ? error : new Error(String(error)));

  // Restarts a new container's settle timer: it is taken on only after `settle` without changes.
  const settle = (name: string): void => {
    clearTimeout(settling.get(name));
    settleDue.set(name, Date.now() + settleMs);
    settling.set(
      name,
      setTimeout(() => {
        settling.delete(name);
        settleDue.delete(name);
        readContainer(hostRoot, name).then((info) => {
          if (closed || !info || known.has(name)) return;
          known.add(name);
          handlers.appeared(info);
        }, report);
      }, settleMs),
    );
  };

  const recheck = (name: string): void => {
    clearTimeout(rechecks.get(name));
    rechecks.set(
      name,
      setTimeout(() => {
        rechecks.delete(name);
        readContainer(hostRoot, name).then((info) => {
          if (closed || !known.has(name)) return;
          if (info) handlers.changed(info);
          else {
            known.delete(name);
            handlers.vanished(name);
          }
        }, report);
      }, recheckMs),
    );
  };

  const onEvent = (kind: FsEventKind, path: string): void => {
    const segments = relative(hostRoot, path).split(sep);
    const name = segments[0];
    if (!name) return;
    if (kind === 'unlinkDir' || kind === 'unlink') {
      clearTimeout(settling.get(name));
      settling.delete(name);
      settleDue.delete(name);
      if (known.has(name)) recheck(name);
      return;
    }
    if (known.has(name)) {
      if (segments.length === 2) recheck(name);
      return;
    }
    settle(name);
  };

  // Catches containers created or removed between the scan and the watch going live.
  const reconcile = async (): Promise<void> => {
    const present = new Set((await scanHostRoot(hostRoot)).map((info) => info.name));
    for (const name of present) if (!known.has(name) && !settling.has(name)) settle(name);
    for (const name of known) if (!present.has(name)) recheck(name);
  };

  return {
    async start() {
      const found = await scanHostRoot(hostRoot);
      for (const info of found) known.add(info.name);
      watcher = watchTree(
        hostRoot,
        {
          depth: 1,
          followSymlinks: false,
          accept: (segments, isDirectory) =>
            segments.length === 1
              ? isDirectory !== false && !segments[0]?.startsWith('.')
              : segments.length === 2 && segments[1] === 'config',
        },
        onEvent,
        report,
      );
      void watcher.ready.then(reconcile).catch(report);
      return found;
    },
    setSettleMs(ms) {
      settleMs = ms;
    },
    settling() {
      return [...settleDue].map(([name, due]) => ({ name, dueAt: new Date(due) }));
    },
    async close() {
      closed = true;
      for (const timer of [...settling.values(), ...rechecks.values()]) clearTimeout(timer);
      await watcher?.close();
    },
  };
}
