// Summaries of repeated measurements (pure): min and median, and ratios between them.

// A measured figure over its repetitions.
export interface Figure {
  min: number;
  median: number;
  samples: number[];
}

// Min, median and the raw samples; the median of an even count is the mean of the middle two.
export function summarize(samples: readonly number[]): Figure {
  if (samples.length === 0) return { min: Number.NaN, median: Number.NaN, samples: [] };
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { min: sorted[0]!, median, samples: [...samples] };
}

// Ratios of paired samples (a[i] / b[i], measured back to back), summarized: on a shared,
// noisy machine the ratio of neighbours is steadier than the ratio of two medians.
export function pairedRatio(a: readonly number[], b: readonly number[]): Figure {
  const ratios: number[] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) ratios.push(a[i]! / b[i]!);
  return summarize(ratios);
}

// Rounds for display and JSON without trailing noise.
export function round(value: number, digits = 3): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
