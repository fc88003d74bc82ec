// `lxc-backup notify test [NAME]`: sends a test event through every notification channel
// configured for NAME (or the defaults) and reports each delivery.
import { hostname } from 'node:os';
import { createNotifier } from '../notify/notifier.js';
import { testEvent } from '../notify/event.js';
import { resolveContainer } from '../policy/resolve.js';
import { CheckFailed } from './errors.js';
import { loadPolicy } from './load-policy.js';
import { jsonOption, policyOption, policyPath, type Verb } from './verb.js';

export const notifyTestVerb: Verb = {
  words: ['notify', 'test'],
  usage: 'notify test [NAME] [--policy FILE] [--json]',
  summary: 'send a test notification through every channel configured for NAME (or the defaults); exit 1 if any delivery failed',
  options: { policy: policyOption, json: jsonOption },
  positionals: { min: 0, max: 1 },
  async run(args, io) {
    const policy = await loadPolicy(policyPath(args, io), io);
    const name = args.positionals[0];
    const settings = name ? resolveContainer(policy, name).settings.notify : policy.defaults.notify;
    // Logs stay quiet here: each delivery is reported below instead.
    const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
    const notifier = createNotifier({ policy: () => policy, env: io.env, log: quiet });
    const deliveries = await notifier.send(testEvent(name ?? 'test', hostname(), new Date()), settings);
    if (args.options.json) io.out(JSON.stringify({ container: name ?? null, deliveries }, null, 2));
    else if (deliveries.length === 0)
      io.err(`no notification channels configured for ${name ?? 'the defaults'} (notify.ping, notify.webhook, notify.ntfy)`);
    else
      for (const d of deliveries)
        io.out(
          `${d.ok ? 'ok    ' : 'FAILED'} ${d.channel.padEnd(12)} ${d.destination}  ${d.ok ? `HTTP ${d.status}` : d.error} (${d.attempts} attempt(s), ${d.ms} ms)`,
        );
    const failed = deliveries.filter((d) => !d.ok).length;
    if (deliveries.length === 0) throw new CheckFailed('nothing to test');
    if (failed > 0) throw new CheckFailed(`${failed} of ${deliveries.length} notification(s) not delivered`);
  },
};
