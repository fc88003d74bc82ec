// What one session (one connection) holds, so that its end undoes all of it.
import type { SessionFreezes } from './freezer.js';

// A snapshot a session holds: how to release it.
export interface HeldSnapshot {
  release: string[][];
}

// A session's holdings and its abort signal (fired when the connection closes).
export interface SessionState {
  freezes: SessionFreezes;
  snapshots: Map<string, HeldSnapshot>;
  abort: AbortController;
}

// A fresh session.
export function newSessionState(): SessionState {
  return { freezes: new Map(), snapshots: new Map(), abort: new AbortController() };
}
