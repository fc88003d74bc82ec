// Polling for tests that watch real processes: the one waitFor, used by the integration and e2e suites.

// How often to look, and what to show about the last look when time runs out.
export interface WaitOptions {
  // Pause between looks; 50 ms suits local files and sockets, e2e probes through lxc-attach use more.
  intervalMs?: number;
  // Describes the state last seen, for the timeout message.
  seen?: () => Promise<string>;
}

type Falsy = undefined | null | false | 0 | '';

// Polls `probe` until it returns a truthy value and resolves with that value; rejects once
// `timeoutMs` has passed, naming `what` it waited for (and what `seen` reports).
export async function waitFor<T>(
  probe: () => Promise<T> | T,
  timeoutMs: number,
  what: string,
  options: WaitOptions = {},
): Promise<Exclude<T, Falsy>> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return value as Exclude<T, Falsy>;
    if (Date.now() - started > timeoutMs) {
      const seen = options.seen ? `; last seen:\n${await options.seen()}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${seen}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 50));
  }
}
