// Runs an async function over a list with at most `limit` calls in flight, results in input order.
// The manifest's sample is a few hundred small files: one at a time, each open, stat and read
// waits its turn on the thread pool, and on a busy host that latency, not the bytes, made up
// most of the capture (BENCHMARKS.md, "Small files").

// `fn` over `items`, at most `limit` at once; the first rejection rejects the whole (the others
// still finish their current call, none starts after it).
export async function inParallel<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`inParallel: expected a positive integer limit, got ${limit}`);
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index] as T);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
