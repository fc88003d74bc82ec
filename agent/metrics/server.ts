// Serves GET /metrics over HTTP; everything else is 404.
import { createServer, type Server } from 'node:http';
import type { AgentMetrics } from './agent-metrics.js';
import { errorMessage } from '../core/error-message.js';

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

// Listens on host:port; rejects when the port cannot be bound.
export async function startMetricsServer(metrics: AgentMetrics, host: string, port: number): Promise<MetricsServer> {
  const server: Server = createServer((request, response) => {
    if (request.method !== 'GET' || (request.url ?? '').split('?')[0] !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /metrics\n');
      return;
    }
    metrics.text().then(
      (text) => response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
      (error: unknown) => response.writeHead(500, { 'content-type': 'text/plain' }).end(`${errorMessage(error)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const shown = host.includes(':') ? `[${host}]` : host;
  // The bound port (differs from `port` when that was 0).
  const bound = (server.address() as { port: number }).port;
  return {
    url: `http://${shown}:${bound}/metrics`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
