// Delivers notifications without ever holding up a job: notify() returns at once; each
// container's notifications go out in order (start before success) on a chain of their own.
import type { Log } from '../core/log.js';
import { resolveContainer } from '../policy/resolve.js';
import type { Policy } from '../policy/schema.js';
import type { SecretsReader } from '../policy/secrets-file.js';
import { durationMs } from '../policy/duration.js';
import { deliver, type Delivery } from './deliver.js';
import type { NotifyEvent } from './event.js';
import { buildRequests, type NotifySettings } from './payloads.js';
import { loadSecretLookup, type SecretLookup } from './secret-values.js';
import { displayUrl, expandUrl } from '../policy/url-template.js';
import { errorMessage } from '../core/error-message.js';

export interface NotifierOptions {
  policy(): Policy;
  env: NodeJS.ProcessEnv;
  log: Log;
  // How the secrets file is read (default: strictly, each time).
  readSecrets?: SecretsReader;
  // Wait before retry n is n × backoffMs (1 s by default).
  backoffMs?: number;
}

export interface Notifier {
  // Queues the notifications for one event (settings of its container); returns at once.
  notify(event: NotifyEvent): void;
  // Sends one event through every channel of `settings` now; resolves with each delivery.
  send(event: NotifyEvent, settings: NotifySettings): Promise<Delivery[]>;
  // Waits for queued deliveries, at most `capMs`.
  close(capMs?: number): Promise<void>;
}

// Creates a notifier reading the live policy at each event.
export function createNotifier(options: NotifierOptions): Notifier {
  const { log } = options;
  const chains = new Map<string, Promise<void>>();

  const send = async (event: NotifyEvent, settings: NotifySettings): Promise<Delivery[]> => {
    const requests = buildRequests(event, settings);
    if (requests.length === 0) return [];
    let secrets: SecretLookup | undefined;
    let problem: string | undefined;
    try {
      secrets = await loadSecretLookup(options.policy(), options.env, options.readSecrets);
    } catch (error) {
      problem = errorMessage(error);
    }
    const timeoutMs = durationMs(settings.timeout);
    return Promise.all(
      requests.map(async (request) => {
        const destination = displayUrl(request.template);
        let url: string;
        try {
          if (!secrets) throw new Error(problem);
          url = expandUrl(request.template, event.container, secrets.value);
        } catch (error) {
          return { channel: request.channel, destination, ok: false, error: errorMessage(error), attempts: 0, ms: 0 };
        }
        const lookup = secrets;
        const scrub = (text: string): string => lookup.scrub(text.replaceAll(url, destination));
        return deliver(
          { channel: request.channel, destination, url, headers: request.headers, body: scrub(request.body) },
          { timeoutMs, retries: settings.retries, scrub, ...(options.backoffMs !== undefined ? { backoffMs: options.backoffMs } : {}) },
        );
      }),
    );
  };

  const report = (event: NotifyEvent, delivery: Delivery): void => {
    const fields = {
      container: event.container,
      event: 'notify',
      kind: event.event,
      channel: delivery.channel,
      destination: delivery.destination,
      status: delivery.status,
      attempts: delivery.attempts,
      ms: delivery.ms,
    };
    if (delivery.ok) log.info(fields, `${event.event} notification for ${event.container} delivered via ${delivery.channel}`);
    else
      log.warn(
        { ...fields, error: delivery.error },
        `${event.event} notification for ${event.container} not delivered via ${delivery.channel} (${delivery.destination}): ${delivery.error}`,
      );
  };

  return {
    notify(event) {
      const previous = chains.get(event.container) ?? Promise.resolve();
      const next = previous
        .then(async () => {
          const settings = resolveContainer(options.policy(), event.container).settings.notify;
          for (const delivery of await send(event, settings)) report(event, delivery);
        })
        .catch((error: unknown) => log.error({ err: error, container: event.container }, 'sending a notification failed'))
        .finally(() => {
          if (chains.get(event.container) === next) chains.delete(event.container);
        });
      chains.set(event.container, next);
    },
    send,
    async close(capMs = 5000) {
      let timer: NodeJS.Timeout | undefined;
      const cap = new Promise<void>((resolve) => (timer = setTimeout(resolve, capMs)));
      await Promise.race([Promise.all(chains.values()), cap]);
      clearTimeout(timer);
    },
  };
}
