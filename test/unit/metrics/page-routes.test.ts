// The status page's routes: the page with its CSP, /status.json with each container's series,
// /history/NAME.json with jobs and chains; a bad name is refused, other paths are not ours.
import { describe, expect, it } from 'vitest';
import type { HistoryRecord } from '../../../agent/daemon/history-record.js';
import type { StatusReport } from '../../../agent/daemon/status-report.js';
import { chainsOf } from '../../../agent/metrics/history-chains.js';
import { pageRoutes } from '../../../agent/metrics/page-routes.js';

const job = (day: number, extra: Partial<HistoryRecord> = {}): HistoryRecord => ({
  time: `2030-01-${String(day).padStart(2, '0')}T03:00:00.000Z`,
  action: 'backup',
  outcome: 'ok',
  duration_ms: 1000,
  bytes: 100,
  set_type: 'inc',
  ...extra,
});
const HISTORY: HistoryRecord[] = [
  job(1, { set_type: 'full' }),
  job(2),
  job(3, { outcome: 'failed', set_type: undefined, bytes: undefined, error: 'x' }),
  job(4, { action: 'prune', set_type: undefined }),
  job(5, { set_type: 'full', bytes: 500 }),
  job(6, { outcome: 'unchanged', set_type: 'unchanged' }),
  job(7),
];
const report: StatusReport = {
  policy: { path: '/p.yaml', valid: true, error: null },
  containers: [
    {
      name: 'web',
      state: 'ok',
      last_success: null,
      last_error: null,
      next_run: null,
      orphaned_since: null,
      retry_at: null,
      size_bytes: null,
      chains: 2,
      last_verified: null,
      last_drill: null,
      unchanged: false,
    },
  ],
};
const routes = pageRoutes({
  status: () => report,
  history: async (name, limit) => (name === 'web' ? HISTORY.slice(limit === undefined ? 0 : -limit) : []),
  chain: (name) => (name === 'web' ? { chains: 2, setsInActiveChain: 3 } : undefined),
});

describe('pageRoutes', () => {
  it('serves the page with a strict CSP', async () => {
    const reply = await routes('/');
    expect(reply?.status).toBe(200);
    expect(reply?.headers['content-type']).toMatch(/^text\/html/);
    expect(reply?.headers['content-security-policy']).toMatch(/default-src 'self'; script-src 'sha256-[^']+'; style-src 'sha256-/);
    expect(reply?.body).toContain('<table id="containers">');
  });

  it('serves /status.json with the backups of each container as its series', async () => {
    const body = JSON.parse((await routes('/status.json'))?.body ?? '') as { containers: Array<{ name: string; series: unknown[] }> };
    expect(body.containers[0]?.name).toBe('web');
    expect(body.containers[0]?.series).toHaveLength(6);
  });

  it('serves /history/NAME.json and refuses a name that is not a container name', async () => {
    const reply = await routes('/history/web.json');
    const body = JSON.parse(reply?.body ?? '') as { jobs: unknown[]; chains: unknown[]; chain: unknown };
    expect(body.jobs).toHaveLength(7);
    expect(body.chains).toHaveLength(2);
    expect(body.chain).toEqual({ chains: 2, setsInActiveChain: 3 });
    expect((await routes('/history/..%2Fetc.json'))?.status).toBe(400);
    expect((await routes('/history/%E0%A4%A.json'))?.status).toBe(400);
    expect(await routes('/other')).toBeUndefined();
  });
});

describe('chainsOf', () => {
  it('starts a chain at each full and counts the incrementals after it', () => {
    expect(chainsOf(HISTORY)).toEqual([
      { full: job(1).time, last: job(2).time, incrementals: 1, bytes: 200 },
      { full: job(5).time, last: job(7).time, incrementals: 1, bytes: 600 },
    ]);
    expect(chainsOf([job(9)])).toEqual([{ full: null, last: job(9).time, incrementals: 0, bytes: 100 }]);
  });
});
