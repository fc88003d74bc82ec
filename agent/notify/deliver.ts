// Sends one notification request with node's fetch: a timeout per attempt, a few retries
// for network errors and 5xx/429, and a result instead of a throw.
import { errnoCode, errorMessage } from '../core/error-message.js';

// What became of one request; `error` is already free of the URL and secrets.
export interface Delivery {
  channel: string;
  // scheme://host/… only.
  destination: string;
  ok: boolean;
  status?: number;
  error?: string;
  attempts: number;
  ms: number;
}

export interface DeliverOptions {
  timeoutMs: number;
  retries: number;
  // Wait before retry n is n × backoffMs.
  backoffMs?: number;
  // Removes secrets from an error text before it is returned.
  scrub(text: string): string;
}

interface Attempt {
  ok: boolean;
  status?: number;
  error?: string;
  retryable: boolean;
}

async function attempt(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<Attempt> {
  try {
    const response = await fetch(url, { method: 'POST', headers, body, redirect: 'follow', signal: AbortSignal.timeout(timeoutMs) });
    // Read the body so the connection is released; its content does not matter.
    await response.arrayBuffer().catch(() => undefined);
    if (response.ok) return { ok: true, status: response.status, retryable: false };
    return {
      ok: false,
      status: response.status,
      error: `HTTP ${response.status}`,
      retryable: response.status >= 500 || response.status === 429,
    };
  } catch (error) {
    return { ok: false, error: describeFetchError(error, timeoutMs), retryable: true };
  }
}

// fetch's errors are "fetch failed" with the interesting part in `cause`; an invalid URL's message quotes the URL (scrubbed by the caller).
function describeFetchError(error: unknown, timeoutMs: number): string {
  if (!(error instanceof Error)) return errorMessage(error);
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return `no answer within ${timeoutMs / 1000} s`;
  const cause: unknown = error.cause;
  const causeMessage = cause !== undefined && cause !== null ? causeMessageOf(cause) : undefined;
  // https://fetch.spec.whatwg.org/#port-blocking: fetch refuses ports like 1, 25 or 6000.
  if (causeMessage === 'bad port') return "port blocked by fetch (the Fetch standard's bad-port list): use another port";
  const code = errnoCode(cause);
  if (code) return `${code}${causeMessage && !causeMessage.includes(code) ? ` ${causeMessage}` : ''}`;
  return causeMessage ?? error.message;
}

// A cause's own message, or undefined when it has none (then the error's message says more).
function causeMessageOf(cause: unknown): string | undefined {
  return typeof cause === 'object' && cause !== null && 'message' in cause && typeof cause.message === 'string' ? cause.message : undefined;
}

// Delivers `body` to `url`; never throws.
export async function deliver(
  request: { channel: string; destination: string; url: string; headers: Record<string, string>; body: string },
  options: DeliverOptions,
): Promise<Delivery> {
  const started = Date.now();
  let last: Attempt = { ok: false, retryable: true };
  let attempts = 0;
  while (attempts <= options.retries) {
    if (attempts > 0) await new Promise((resolve) => setTimeout(resolve, attempts * (options.backoffMs ?? 1000)));
    attempts += 1;
    last = await attempt(request.url, request.headers, request.body, options.timeoutMs);
    if (last.ok || !last.retryable) break;
  }
  return {
    channel: request.channel,
    destination: request.destination,
    ok: last.ok,
    ...(last.status !== undefined ? { status: last.status } : {}),
    ...(last.error !== undefined ? { error: options.scrub(last.error) } : {}),
    attempts,
    ms: Date.now() - started,
  };
}
