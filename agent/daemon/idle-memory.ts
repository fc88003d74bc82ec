// After start-up and after each burst of jobs the agent waits, usually until tomorrow. V8
// keeps the heap pages a burst needed and its memory reducer does not hand them back for
// minutes; one full collection when the queue drains does (figures in BENCHMARKS.md). It needs `node --expose-gc`, which the CLI
// wrapper passes to the agent; without it this does nothing.
export function releaseIdleMemory(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
}
