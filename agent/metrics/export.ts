// Publishes the metrics as `metrics` in the policy asks: an HTTP endpoint and/or a
// node-exporter textfile rewritten shortly after each change and every 30 s. Failures are
// logged; metrics never stop the agent.
import type { Log } from '../core/log.js';
import type { Policy } from '../policy/schema.js';
import type { AgentMetrics } from './agent-metrics.js';
import { listenAddress } from './listen-address.js';
import type { PageRoutes } from './page-routes.js';
import { startMetricsServer, type MetricsServer } from './server.js';
import { writeTextfile } from './textfile.js';
import { errnoCode, errorMessage } from '../core/error-message.js';

export interface MetricsExport {
  // Something changed: rewrite the textfile soon.
  changed(): void;
  close(): Promise<void>;
}

const DEBOUNCE_MS = 250;
const REFRESH_MS = 30_000;

// Starts what `config` turns on (nothing when both keys are null); `pages` (the status page) is
// served on the same listener.
export async function startMetricsExport(
  config: Policy['metrics'],
  metrics: AgentMetrics,
  log: Log,
  pages?: PageRoutes,
): Promise<MetricsExport> {
  let server: MetricsServer | undefined;
  if (config.listen !== null) {
    const { host, port } = listenAddress(config.listen);
    try {
      server = await startMetricsServer(metrics, host, port, pages);
      log.info({ url: server.url }, `metrics served on ${server.url}`);
    } catch (error) {
      log.error({ listen: config.listen, code: errnoCode(error) }, `cannot serve metrics on ${host}:${port}: ${errorMessage(error)}`);
    }
  }
  const path = config.textfile;
  let debounce: NodeJS.Timeout | undefined;
  let refresh: NodeJS.Timeout | undefined;
  let failing = false;
  let writing = Promise.resolve();
  const write = (): Promise<void> => {
    if (path === null) return Promise.resolve();
    writing = writing.then(async () => {
      try {
        await writeTextfile(path, await metrics.text());
        failing = false;
      } catch (error) {
        // Once per failing streak, not every 30 s.
        if (!failing)
          log.error({ textfile: path, code: errnoCode(error) }, `cannot write metrics textfile ${path}: ${errorMessage(error)}`);
        failing = true;
      }
    });
    return writing;
  };
  if (path !== null) {
    await write();
    refresh = setInterval(() => void write(), REFRESH_MS);
    log.info({ textfile: path }, `metrics written to ${path}`);
  }
  return {
    changed() {
      if (path === null) return;
      clearTimeout(debounce);
      debounce = setTimeout(() => void write(), DEBOUNCE_MS);
    },
    async close() {
      clearTimeout(debounce);
      clearInterval(refresh);
      await write();
      await server?.close();
    },
  };
}
