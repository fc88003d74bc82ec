// The HTTP requests each channel gets for one event (pure): healthchecks-style pings,
// a generic JSON webhook and ntfy. URLs stay templates here; they are expanded when sent.
import type { Settings } from '../policy/schema.js';
import { escapeControl, stringifyForTerminal } from '../core/escape-control.js';
import type { NotifyEvent } from './event.js';

export type NotifySettings = Settings['notify'];

// One request to send; `template` may hold `{name}` and `${NAME}` references.
export interface OutgoingRequest {
  channel: 'ping.start' | 'ping.success' | 'ping.fail' | 'webhook' | 'ntfy';
  template: string;
  headers: Record<string, string>;
  body: string;
}

// ntfy priorities: 1 min … 5 urgent (https://docs.ntfy.sh/publish/#message-priority).
const NTFY_PRIORITY = { success: '2', fail: '4', test: '3' } as const;
const NTFY_TAGS = { success: 'white_check_mark', fail: 'rotating_light', test: 'bell' } as const;

// One line describing the event, the body of pings and ntfy messages. Container names and
// errors (duplicity's words about a guest's files) are escaped: they end up on phones and terminals.
export function describeEvent(raw: NotifyEvent): string {
  const event = {
    ...raw,
    container: escapeControl(raw.container),
    host: escapeControl(raw.host),
    error: raw.error === null ? null : escapeControl(raw.error),
  };
  const what = event.action === 'staleness' ? `${event.container} is stale` : `${event.action} of ${event.container}`;
  if (event.event === 'test') return `lxc-backup test notification for ${event.container} from ${event.host}`;
  if (event.event === 'start') return `${what} started on ${event.host}`;
  const mode = event.consistency
    ? `${event.consistency.mode}${event.consistency.reason ? `: ${escapeControl(event.consistency.reason)}` : ''}`
    : '';
  const facts = [event.duration !== null ? `${event.duration} s` : '', event.bytes !== null ? `${event.bytes} bytes` : '', mode]
    .filter(Boolean)
    .join(', ');
  const recovered = (raw.recovered ?? []).map((line) => `; ${escapeControl(line)}`).join('');
  if (event.event === 'success') return `${what} succeeded on ${event.host}${facts ? ` (${facts})` : ''}${recovered}`;
  const verb = event.outcome === 'stale' ? '' : ` ${event.outcome.replace('-', ' ')}`;
  return `${what}${verb} on ${event.host}: ${event.error ?? 'no reason given'}`;
}

function pings(event: NotifyEvent, ping: NotifySettings['ping']): OutgoingRequest[] {
  const text = { 'content-type': 'text/plain; charset=utf-8' };
  // A ping check watches the backups; prune results go to the webhook and ntfy only.
  if (event.action === 'prune') return [];
  // A failed drill is a failed check of the backups; a passed one is no news to a ping check.
  if (event.action === 'drill' && event.event !== 'fail') return [];
  if (event.event === 'test') {
    // Every configured URL, ending on success so the check is left up.
    return (['start', 'fail', 'success'] as const).flatMap((kind) => {
      const url = ping[kind];
      return url ? [{ channel: `ping.${kind}` as const, template: url, headers: text, body: describeEvent(event) }] : [];
    });
  }
  const url = ping[event.event];
  return url ? [{ channel: `ping.${event.event}`, template: url, headers: text, body: describeEvent(event) }] : [];
}

function ntfy(event: NotifyEvent, url: string): OutgoingRequest[] {
  // Starts and successful prunes would only be noise on a phone.
  if (event.event === 'start' || (event.action !== 'backup' && event.event === 'success')) return [];
  const title =
    event.event === 'test'
      ? 'lxc-backup test'
      : `lxc-backup: ${escapeControl(event.container)} ${event.outcome === 'succeeded' ? 'ok' : event.outcome}`;
  return [
    {
      channel: 'ntfy',
      template: url,
      headers: { 'content-type': 'text/plain; charset=utf-8', title, priority: NTFY_PRIORITY[event.event], tags: NTFY_TAGS[event.event] },
      body: describeEvent(event),
    },
  ];
}

// Every request the settings ask for, for one event.
export function buildRequests(event: NotifyEvent, settings: NotifySettings): OutgoingRequest[] {
  return [
    ...pings(event, settings.ping),
    ...(settings.webhook
      ? [
          {
            channel: 'webhook' as const,
            template: settings.webhook,
            headers: { 'content-type': 'application/json' },
            body: stringifyForTerminal(event),
          },
        ]
      : []),
    ...(settings.ntfy ? ntfy(event, settings.ntfy) : []),
  ];
}
