// Serves GET /metrics over HTTP, and the status page's routes when given; everything else is 404.
import { createServer, type Server } from 'node:http';
import type { AgentMetrics } from './agent-metrics.js';
import type { PageRoutes } from './page-routes.js';
import { errorMessage } from '../core/error-message.js';

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

// Listens on host:port; rejects when the port cannot be bound.
export async function startMetricsServer(metrics: AgentMetrics, host: string, port: number, pages?: PageRoutes): Promise<MetricsServer> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0] ?? '';
    if (request.method === 'GET' && pages && path !== '/metrics') {
      pages(path).then(
        (reply) =>
          reply
            ? response.writeHead(reply.status, reply.headers).end(reply.body)
            : response.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try / or /metrics\n'),
        (error: unknown) => response.writeHead(500, { 'content-type': 'text/plain' }).end(`${errorMessage(error)}\n`),
      );
      return;
    }
    if (request.method !== 'GET' || path !== '/metrics') {
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
