// The --small-files scenario's table and JSON (pure).
import type { SmallFilesSamples } from './small-files.js';
import { pairedRatio, round, summarize } from './stats.js';

// The paired ratios (lxc-backup / loop, neighbours in one repetition), medians.
export function smallFilesRatios(s: SmallFilesSamples): Record<string, number> {
  return {
    full: round(pairedRatio(s.product, s.loop).median),
    full_nice0: round(pairedRatio(s.productNice0, s.loop).median),
    full_full_stretching: round(pairedRatio(s.productFullStretching, s.loop).median),
  };
}

// The table.
export function formatSmallFiles(s: SmallFilesSamples, machine: Record<string, string | number>, runtimeSeconds: number): string {
  const cell = (values: readonly number[]): string => values.map((v) => v.toFixed(1)).join(', ');
  return [
    `machine: ${Object.entries(machine)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}`,
    `small files: stdlib=${s.stdlib}, load=[${s.load.map((l) => l.toFixed(1)).join(', ')}], runtime_s=${runtimeSeconds.toFixed(0)}`,
    '',
    'full cycle, seconds            median   samples              paired ratio (median)   target',
    `loop                         ${summarize(s.loop).median.toFixed(1).padStart(8)}   ${cell(s.loop)}`,
    row('lxc-backup (shipped)', s.product, s.loop, '<= 0.45'),
    row('lxc-backup at nice 0', s.productNice0, s.loop, '(diagnostic)'),
    row('full key stretching', s.productFullStretching, s.loop, '(diagnostic)'),
  ].join('\n');
  function row(label: string, values: readonly number[], loop: readonly number[], target: string): string {
    const paired = pairedRatio(values, loop);
    return `${label.padEnd(29)}${summarize(values).median.toFixed(1).padStart(8)}   ${cell(values).padEnd(20)} ${paired.samples.map((r) => r.toFixed(3)).join(', ')} (${paired.median.toFixed(3)})   ${target}`;
  }
}
