// After start-up and after each burst of jobs the agent waits, usually until tomorrow. V8
// keeps the heap pages a burst needed (old space 14 -> 19 MB over 200 backups with 14 MB in
// use) and its memory reducer did not hand them back within minutes; one full collection
// when the queue drains does (BENCHMARKS.md). It needs `node --expose-gc`, which the CLI
// wrapper passes to the agent; without it this does nothing.
export function releaseIdleMemory(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
}
