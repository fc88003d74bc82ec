// Turns the samples into figures, ratios and target verdicts (pure), and prints them as a
// human table or JSON.
import type { RestSamples } from './agent-rest.js';
import type { CycleSamples } from './cycles.js';
import type { RestoreSamples } from './restore-bench.js';
import { pairedRatio, round, summarize, type Figure } from './stats.js';

// One line of the verdict: a measured value against the issue's target.
export interface Verdict {
  target: string;
  measured: number;
  unit: string;
  limit: number;
  pass: boolean;
}

export interface BenchResult {
  machine: Record<string, string | number>;
  settings: Record<string, string | number | boolean>;
  seconds: Record<string, Figure>;
  ratios: Record<string, Figure>;
  atRest?: RestSamples;
  verdicts: Verdict[];
  runtimeSeconds: number;
}

const MB = 1e6;

function verdict(target: string, measured: number, unit: string, limit: number, strict = false): Verdict {
  return { target, measured: round(measured), unit, limit, pass: strict ? measured < limit : measured <= limit };
}

// Everything measured, summarized, with a verdict per target of the issue.
export function buildResult(input: {
  machine: BenchResult['machine'];
  settings: BenchResult['settings'];
  cycles?: CycleSamples;
  restore?: RestoreSamples;
  atRest?: RestSamples;
  runtimeSeconds: number;
}): BenchResult {
  const seconds: Record<string, Figure> = {};
  const ratios: Record<string, Figure> = {};
  const verdicts: Verdict[] = [];
  const c = input.cycles;
  if (c) {
    Object.assign(seconds, {
      'full: loop': summarize(c.loopFull),
      'full: lxc-backup': summarize(c.productFull),
      'full: lxc-backup equal settings': summarize(c.equalFull),
      ...(c.samePriorityFull.length ? { 'full: lxc-backup at nice 0': summarize(c.samePriorityFull) } : {}),
      'incremental: loop': summarize(c.loopIncremental),
      'incremental: lxc-backup': summarize(c.productIncremental),
      'incremental: lxc-backup equal settings': summarize(c.equalIncremental),
      ...(c.samePriorityIncremental.length ? { 'incremental: lxc-backup at nice 0': summarize(c.samePriorityIncremental) } : {}),
    });
    ratios['full cycle (lxc-backup / loop)'] = pairedRatio(c.productFull, c.loopFull);
    ratios['incremental cycle (lxc-backup / loop)'] = pairedRatio(c.productIncremental, c.loopIncremental);
    if (c.samePriorityFull.length) {
      ratios['full cycle at nice 0 (lxc-backup / loop)'] = pairedRatio(c.samePriorityFull, c.loopFull);
      ratios['incremental cycle at nice 0 (lxc-backup / loop)'] = pairedRatio(c.samePriorityIncremental, c.loopIncremental);
    }
    ratios['overhead, full (equal settings / loop)'] = pairedRatio(c.equalFull, c.loopFull);
    ratios['overhead, incremental (equal settings / loop)'] = pairedRatio(c.equalIncremental, c.loopIncremental);
    verdicts.push(verdict('full cycle ≤ 0.5× loop', ratios['full cycle (lxc-backup / loop)']!.median, '×', 0.5));
    verdicts.push(verdict('incremental cycle ≤ 0.7× loop', ratios['incremental cycle (lxc-backup / loop)']!.median, '×', 0.7));
    verdicts.push(
      verdict('overhead at equal settings (full) ≤ 1.05×', ratios['overhead, full (equal settings / loop)']!.median, '×', 1.05),
    );
    verdicts.push(
      verdict(
        'overhead at equal settings (incremental) ≤ 1.05×',
        ratios['overhead, incremental (equal settings / loop)']!.median,
        '×',
        1.05,
      ),
    );
  }
  const r = input.restore;
  if (r) {
    seconds['restore: duplicity restore'] = summarize(r.plain);
    seconds['restore: lxc-backup restore'] = summarize(r.product);
    ratios['restore (lxc-backup / duplicity)'] = pairedRatio(r.product, r.plain);
    verdicts.push(verdict('restore with metadata ≤ 1.1× plain', ratios['restore (lxc-backup / duplicity)']!.median, '×', 1.1));
  }
  const a = input.atRest;
  if (a) {
    const total = a.containers + a.discoveryMs.length;
    verdicts.push(verdict(`RSS after start (${a.containers} containers) ≤ 80 MB`, a.rssAfterStart / MB, 'MB', 80));
    verdicts.push(verdict(`RSS after a cycle (${total} containers) ≤ 80 MB`, a.rssAfterCycle / MB, 'MB', 80));
    verdicts.push(verdict(`RSS after a cycle and the idle window ≤ 80 MB`, a.rssAfterIdle / MB, 'MB', 80));
    verdicts.push(verdict(`inotify watches after start ≤ 2×${a.containers}+20`, a.watchesAfterStart, '', 2 * a.containers + 20));
    verdicts.push(verdict(`inotify watches after a cycle ≤ 2×${total}+20`, a.watchesAfterCycle, '', 2 * total + 20));
    verdicts.push(verdict('idle CPU after start < 1 %', a.idleCpuPercentAfterStart, '%', 1, true));
    verdicts.push(verdict('idle CPU after a cycle < 1 %', a.idleCpuPercentAfterCycle, '%', 1, true));
    verdicts.push(verdict('start-up to scheduled (spawn → ready, median) < 2 s', summarize(a.startupWallMs).median / 1000, 's', 2, true));
    verdicts.push(verdict('discovery after settle (median) < 1 s', summarize(a.discoveryMs).median / 1000, 's', 1, true));
  }
  return {
    machine: input.machine,
    settings: input.settings,
    seconds,
    ratios,
    ...(a ? { atRest: a } : {}),
    verdicts,
    runtimeSeconds: round(input.runtimeSeconds, 1),
  };
}

function figureCells(figure: Figure, digits: number): string {
  const show = (v: number): string => v.toFixed(digits);
  return `${show(figure.min).padStart(8)} ${show(figure.median).padStart(8)}   [${figure.samples.map(show).join(', ')}]`;
}

// The human table.
export function formatTable(result: BenchResult): string {
  const out: string[] = [];
  const width = Math.max(40, ...Object.keys(result.seconds).map((k) => k.length), ...Object.keys(result.ratios).map((k) => k.length));
  out.push(
    `machine: ${Object.entries(result.machine)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}`,
  );
  out.push(
    `settings: ${Object.entries(result.settings)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}`,
    '',
  );
  out.push(`${'seconds'.padEnd(width)}      min   median   samples`);
  for (const [name, figure] of Object.entries(result.seconds)) out.push(`${name.padEnd(width)} ${figureCells(figure, 1)}`);
  out.push('', `${'ratios (paired, back to back)'.padEnd(width)}      min   median   samples`);
  for (const [name, figure] of Object.entries(result.ratios)) out.push(`${name.padEnd(width)} ${figureCells(figure, 2)}`);
  const a = result.atRest;
  if (a) {
    out.push(
      '',
      `agent at rest: ${a.containers} containers, start-up ${a.startupWallMs.join('/')} ms (agent's startup_ms ${a.startupLoggedMs.join('/')}), ` +
        `discovery ${a.discoveryMs.join('/')} ms after settle, cycle ${a.cycleSeconds.toFixed(0)} s`,
    );
  }
  out.push('', 'targets:');
  for (const v of result.verdicts) out.push(`  ${v.pass ? 'PASS' : 'MISS'}  ${v.target}: ${v.measured}${v.unit ? ` ${v.unit}` : ''}`);
  out.push('', `runtime: ${result.runtimeSeconds} s`);
  return out.join('\n');
}
