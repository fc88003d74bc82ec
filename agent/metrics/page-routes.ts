// The status page's routes on the metrics listener: `/` (the page), `/status.json` (every
// container's row with a short series for its chart) and `/history/NAME.json` (one container's
// jobs and chains). Read-only: nothing here starts or changes anything.
import { containerNameProblem } from '../core/container-name.js';
import { errorMessage } from '../core/error-message.js';
import type { ChainSummary } from '../core/job.js';
import { mapConcurrent } from '../core/map-concurrent.js';
import type { HistoryRecord } from '../daemon/history-record.js';
import type { StatusReport } from '../daemon/status-report.js';
import { chainsOf } from './history-chains.js';
import { STATUS_PAGE_CSP, STATUS_PAGE_HTML } from './status-page.js';

// A reply the metrics server writes as is.
export interface HttpReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

// What the page shows, read at each request.
export interface PageSource {
  status(): StatusReport;
  // The container's jobs, oldest first, at most `limit` when given.
  history(name: string, limit?: number): Promise<HistoryRecord[]>;
  // What the state knows of the container's chains on its target.
  chain(name: string): ChainSummary | undefined;
}

// Answers a GET for `path`, or undefined when the path is not one of the page's.
export type PageRoutes = (path: string) => Promise<HttpReply | undefined>;

// Jobs per container in /status.json's series (the chart's points).
const SERIES_JOBS = 60;
const NO_STORE = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

const json = (status: number, value: unknown): HttpReply => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8', ...NO_STORE },
  body: JSON.stringify(value),
});

// The point a chart needs of a job.
function point(record: HistoryRecord): object {
  return { time: record.time, outcome: record.outcome, duration_ms: record.duration_ms ?? null, bytes: record.bytes ?? null };
}

// Builds the routes over `source`.
export function pageRoutes(source: PageSource): PageRoutes {
  const backups = async (name: string): Promise<HistoryRecord[]> =>
    (await source.history(name, SERIES_JOBS * 2).catch(() => [])).filter((r) => r.action === 'backup').slice(-SERIES_JOBS);
  return async (path) => {
    if (path === '/' || path === '/index.html')
      return {
        status: 200,
        headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': STATUS_PAGE_CSP, ...NO_STORE },
        body: STATUS_PAGE_HTML,
      };
    if (path === '/status.json') {
      const report = source.status();
      const series = await mapConcurrent(report.containers, 4, async (row) => (await backups(row.name)).map(point));
      return json(200, {
        generated: new Date().toISOString(),
        policy: report.policy,
        containers: report.containers.map((row, i) => ({ ...row, series: series[i] ?? [] })),
      });
    }
    const match = /^\/history\/([^/]+)\.json$/.exec(path);
    if (!match?.[1]) return undefined;
    let name: string;
    try {
      name = decodeURIComponent(match[1]);
    } catch {
      return json(400, { error: 'expected /history/NAME.json with NAME percent-encoded' });
    }
    const problem = containerNameProblem(name);
    if (problem) return json(400, { error: problem });
    try {
      const jobs = await source.history(name);
      return json(200, { name, jobs, chain: source.chain(name) ?? null, chains: chainsOf(jobs) });
    } catch (error) {
      return json(500, { error: `cannot read the history of ${name}: ${errorMessage(error)}` });
    }
  };
}
