// Distributions on the page are drawn as CDFs taken at a fixed grid of probabilities: 1 %
// steps, plus the tail (p99.5, p99.9) where latency curves bend. Quantiles come from the
// project's one percentile function (type 7 interpolation), so a curve read at p50, p90,
// p95 or p99 gives the number in summary.json whenever no sampling was needed.
import { quantile, sortedSamples } from '../../metrics/percentiles.js';
import type { NumberReservoir } from './reservoir.js';
import type { Cdf } from './types.js';

export const CDF_GRID: readonly number[] = [
  ...Array.from({ length: 101 }, (_, i) => i / 100).slice(0, 100),
  0.995,
  0.999,
  1,
];

/** Numbers on the page keep three decimals: µs for times in ms, more than any chart can show. */
export function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

export function cdfOf(sample: NumberReservoir): Cdf {
  const sorted = sortedSamples(sample.values());
  return {
    count: sample.seen,
    sampled: sorted.length,
    valuesAtGrid: sorted.length === 0 ? [] : CDF_GRID.map((p) => round3(quantile(sorted, p) as number)),
  };
}

/** p50 of a bounded sample, or null when it is empty. */
export function medianOf(sample: NumberReservoir | undefined): number | null {
  if (!sample || sample.seen === 0) return null;
  return round3(quantile(sortedSamples(sample.values()), 0.5) as number);
}
