// Notification payloads (pure): URL templates, the event built from a daemon event, each
// channel's requests, and the secret references and masking of notify URLs.
import { describe, expect, it } from 'vitest';
import type { JobEnd } from '../../../agent/daemon/job-queue.js';
import { notifyEventOf, testEvent, type NotifyEvent } from '../../../agent/notify/event.js';
import { buildRequests, describeEvent, type NotifySettings } from '../../../agent/notify/payloads.js';
import { displayUrl, expandUrl, urlSecretNames, urlTemplateProblem } from '../../../agent/policy/url-template.js';
import { isSecretPath } from '../../../agent/policy/describe.js';
import { maskContainerPolicy } from '../../../agent/policy/mask.js';
import { parsePolicy } from '../../../agent/policy/parse.js';
import { collectSecretReferences } from '../../../agent/policy/references.js';
import { resolveContainer } from '../../../agent/policy/resolve.js';

const at = new Date('2030-01-02T03:04:05.000Z');
const end = (ok: boolean, extra: Partial<JobEnd> = {}): JobEnd => ({
  outcome: ok
    ? { ok, durationMs: 12_345, bytes: 4096 }
    : { ok, durationMs: 2000, failure: { kind: 'transient', message: 'sftp: connection refused' } },
  interrupted: false,
  timedOut: false,
  attempt: 1,
  ...extra,
});
const settings = (over: Partial<NotifySettings> = {}): NotifySettings => ({
  ping: {
    start: 'https://hc.example/${HC}/{name}/start',
    success: 'https://hc.example/${HC}/{name}',
    fail: 'https://hc.example/${HC}/{name}/fail',
  },
  webhook: 'https://hooks.example/lxc',
  ntfy: 'https://ntfy.example/backups',
  timeout: '10s',
  retries: 2,
  ...over,
});

describe('URL templates', () => {
  it.each([
    ['https://hc-ping.com/${HC_KEY}/{name}', undefined],
    ['http://127.0.0.1:8080/x?token=${TOKEN}', undefined],
    ['ftp://example.org/x', 'expected an http:// or https:// URL'],
    ['not a url', 'expected an http:// or https:// URL'],
    ['https://x/{other}', 'expected an http(s) URL with only {name} and ${NAME} secret references as placeholders'],
    ['https://x/${lower}', 'expected an http(s) URL with only {name} and ${NAME} secret references as placeholders'],
  ])('%s', (template, problem) => {
    expect(urlTemplateProblem(template)).toBe(problem);
  });

  it('expands {name} (encoded) and secrets, and shows only the origin', () => {
    const template = 'https://user@hc.example:8443/${A}/{name}/x-${B}';
    expect(urlSecretNames(template)).toEqual(['A', 'B']);
    expect(expandUrl(template, 'web 1', (name) => `v-${name}`)).toBe('https://user@hc.example:8443/v-A/web%201/x-v-B');
    expect(displayUrl(template)).toBe('https://hc.example:8443/…');
    expect(displayUrl('https://${HOST}/p')).toBe('https://***/…');
  });
});

describe('notify events', () => {
  it('maps job starts, ends and stale episodes; nothing for an interrupted job', () => {
    expect(notifyEventOf({ type: 'job-start', container: 'web', action: 'backup', at }, 'h')).toMatchObject({
      event: 'start',
      outcome: 'started',
      container: 'web',
      host: 'h',
      time: at.toISOString(),
    });
    expect(notifyEventOf({ type: 'job-end', container: 'web', action: 'backup', end: end(true), at }, 'h')).toEqual({
      event: 'success',
      container: 'web',
      action: 'backup',
      outcome: 'succeeded',
      duration: 12.345,
      bytes: 4096,
      error: null,
      host: 'h',
      time: at.toISOString(),
    });
    expect(notifyEventOf({ type: 'job-end', container: 'web', action: 'backup', end: end(false), at }, 'h')).toMatchObject({
      event: 'fail',
      outcome: 'failed',
      error: 'sftp: connection refused',
      duration: 2,
    });
    expect(
      notifyEventOf({ type: 'job-end', container: 'web', action: 'backup', end: end(false, { timedOut: true }), at }, 'h'),
    ).toMatchObject({ event: 'fail', outcome: 'timed-out' });
    expect(
      notifyEventOf({ type: 'job-end', container: 'web', action: 'backup', end: end(false, { interrupted: true }), at }, 'h'),
    ).toBeUndefined();
    expect(notifyEventOf({ type: 'stale', container: 'web', reason: 'no backup for 48 h', maxAgeMs: 1, at }, 'h')).toMatchObject({
      event: 'fail',
      action: 'staleness',
      outcome: 'stale',
      error: 'no backup for 48 h',
    });
  });
});

describe('channel requests', () => {
  const event = (kind: 'start' | 'success' | 'fail', action: NotifyEvent['action'] = 'backup'): NotifyEvent => {
    const job =
      kind === 'start'
        ? { type: 'job-start' as const, container: 'web', action: 'backup' as const, at }
        : { type: 'job-end' as const, container: 'web', action: 'backup' as const, end: end(kind === 'success'), at };
    return { ...notifyEventOf(job, 'host1')!, action };
  };

  it('start goes to the start ping and the webhook, not ntfy', () => {
    const requests = buildRequests(event('start'), settings());
    expect(requests.map((r) => r.channel)).toEqual(['ping.start', 'webhook']);
    expect(requests[0]!.template).toBe('https://hc.example/${HC}/{name}/start');
  });

  it('fail carries the reason in the ping body, the webhook JSON and a high-priority ntfy message', () => {
    const requests = buildRequests(event('fail'), settings());
    expect(requests.map((r) => r.channel)).toEqual(['ping.fail', 'webhook', 'ntfy']);
    expect(requests[0]!.body).toBe('backup of web failed on host1: sftp: connection refused');
    expect(JSON.parse(requests[1]!.body)).toEqual({
      event: 'fail',
      container: 'web',
      action: 'backup',
      outcome: 'failed',
      duration: 2,
      bytes: null,
      error: 'sftp: connection refused',
      host: 'host1',
      time: at.toISOString(),
    });
    expect(requests[2]!.headers).toMatchObject({ priority: '4', title: 'lxc-backup: web failed' });
  });

  it('success gives ntfy a low priority; prune results skip the pings', () => {
    expect(buildRequests(event('success'), settings()).find((r) => r.channel === 'ntfy')!.headers.priority).toBe('2');
    expect(describeEvent(event('success'))).toBe('backup of web succeeded on host1 (12.345 s, 4096 bytes)');
    // What a job had to do first (a new chain it started) is told, escaped, on the success line.
    const recovered = ['started a new full chain: reading the old one needs the private key\u001b[31m'];
    expect(describeEvent({ ...event('success'), recovered })).toBe(
      'backup of web succeeded on host1 (12.345 s, 4096 bytes); started a new full chain: reading the old one needs the private key\\x1b[31m',
    );
    const withRecovered = { ...end(true), outcome: { ok: true, durationMs: 1, recovered } };
    expect(notifyEventOf({ type: 'job-end', container: 'web', action: 'backup', end: withRecovered, at }, 'h')?.recovered).toEqual(
      recovered,
    );
    expect(buildRequests(event('fail', 'prune'), settings()).map((r) => r.channel)).toEqual(['webhook', 'ntfy']);
    expect(buildRequests(event('success', 'prune'), settings()).map((r) => r.channel)).toEqual(['webhook']);
  });

  it('only configured channels; a test event reaches every ping URL, ending on success', () => {
    expect(buildRequests(event('fail'), settings({ ping: {}, webhook: null, ntfy: null }))).toEqual([]);
    expect(buildRequests(event('start'), settings({ ping: { fail: 'https://x/f' } }))).toHaveLength(1);
    const test = buildRequests(testEvent('web', 'h', at), settings());
    expect(test.map((r) => r.channel)).toEqual(['ping.start', 'ping.fail', 'ping.success', 'webhook', 'ntfy']);
  });
});

describe('notify in the policy', () => {
  const text = [
    'version: 1',
    'defaults:',
    '  encryption: { mode: none }',
    '  notify: { ping: { fail: "https://hc.example/${HC_KEY}/{name}/fail" }, timeout: 3s }',
    'containers:',
    '  "web-*": { notify: { webhook: "https://hooks.example/${HOOK_TOKEN}" } }',
  ].join('\n');

  it('merges notify key by key, collects references inside URLs and masks the URLs', () => {
    const { policy, problems } = parsePolicy(text, 'p.yaml');
    expect(problems).toEqual([]);
    const resolved = resolveContainer(policy!, 'web-1');
    expect(resolved.settings.notify).toEqual({
      ping: { fail: 'https://hc.example/${HC_KEY}/{name}/fail' },
      webhook: 'https://hooks.example/${HOOK_TOKEN}',
      ntfy: null,
      timeout: '3s',
      retries: 2,
    });
    expect(collectSecretReferences(policy!)).toEqual([
      { name: 'HC_KEY', path: 'defaults.notify.ping.fail' },
      { name: 'HOOK_TOKEN', path: 'containers.web-*.notify.webhook' },
    ]);
    expect(maskContainerPolicy(resolved).settings.notify).toMatchObject({ ping: { fail: '***' }, webhook: '***', ntfy: null });
    expect(isSecretPath(['defaults', 'notify', 'ping', 'start'])).toBe(true);
    expect(isSecretPath(['defaults', 'retention', 'start'])).toBe(false);
  });

  it('rejects a bad notify URL and a bad max_age with a located problem', () => {
    const { problems } = parsePolicy('version: 1\ndefaults:\n  max_age: soon\n  notify: { ntfy: "ntfy.sh/topic" }\n', 'p.yaml');
    expect(problems.map((p) => `${p.line}:${p.col} ${p.path}: ${p.message}`)).toEqual([
      expect.stringMatching(/^3:12 defaults.max_age: expected "auto" or a duration/),
      '4:19 defaults.notify.ntfy: expected an http:// or https:// URL, got a literal value (not shown)',
    ]);
  });
});
