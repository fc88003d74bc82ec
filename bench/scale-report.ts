// The --scale scenario's table and JSON (pure).
import type { ScaleSamples } from './scale.js';

const ratio = (a: number, b: number): string => (b > 0 ? (a / b).toFixed(3) : '-');
const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

// The figures the issue's targets are stated in.
export function scaleRatios(s: ScaleSamples): Record<string, number> {
  const dup = median(s.oneContainer.duplicity);
  return {
    full: s.full.product / s.full.loop,
    incremental_5pct: s.incremental.product / s.incremental.loop,
    no_change: s.unchanged.product / s.unchanged.loop,
    no_change_container_share_vs_duplicity: s.oneContainer.productShare / dup,
    no_change_container_cli_vs_duplicity: median(s.oneContainer.productCli) / dup,
  };
}

// The table.
export function formatScale(s: ScaleSamples, machine: Record<string, string | number>, runtimeSeconds: number): string {
  const lines = [
    `machine: ${Object.entries(machine)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}`,
    `scale: containers=${s.containers}, changed=${s.changed}, disk_mib=${s.diskMiB}, load=[${s.load.map((l) => l.toFixed(1)).join(', ')}], runtime_s=${runtimeSeconds.toFixed(0)}`,
    '',
    'seconds                          loop   lxc-backup   ratio   target',
  ];
  const row = (label: string, p: { loop: number; product: number }, target: string): string =>
    `${label.padEnd(30)} ${p.loop.toFixed(1).padStart(6)} ${p.product.toFixed(1).padStart(12)} ${ratio(p.product, p.loop).padStart(7)}   ${target}`;
  lines.push(row('full cycle', s.full, '<= 0.43'));
  lines.push(row(`incremental, ${s.changed} changed`, s.incremental, '<= 0.15'));
  lines.push(row('no change', s.unchanged, '<= 0.10'));
  const dup = median(s.oneContainer.duplicity);
  lines.push('');
  lines.push(
    `one unchanged container: duplicity incremental ${dup.toFixed(2)} s (median of [${s.oneContainer.duplicity.map((v) => v.toFixed(2)).join(', ')}])`,
  );
  lines.push(
    `  lxc-backup's share of the no-change cycle ${s.oneContainer.productShare.toFixed(3)} s = ${ratio(s.oneContainer.productShare, dup)} (target <= 0.10)`,
  );
  lines.push(
    `  lxc-backup backup NAME --if-changed alone (with Node start-up) ${median(s.oneContainer.productCli).toFixed(2)} s = ${ratio(median(s.oneContainer.productCli), dup)}`,
  );
  return lines.join('\n');
}
