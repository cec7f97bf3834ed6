// Uncertainty by the bootstrap: the statistic recomputed on resamples (with replacement) of
// the observations it rests on, and the 5th to 95th percentile of what comes out as its 90%
// interval. Seeded, so a calibration is reproducible from its run.
import { createRng } from '../../util/rng.js';
import { quantile, sortedSamples } from '../../metrics/percentiles.js';

export const BOOTSTRAP_RESAMPLES = 200;
/** The interval's coverage: 90%, from the 5th to the 95th percentile. */
export const INTERVAL = [0.05, 0.95] as const;

/**
 * `statistic` gets the indices of one resample (n of 0..n-1, with repeats) and returns a
 * vector of values (undefined: that resample could not be fitted). Returns, per component,
 * the [low, high] interval over the resamples that could.
 */
export function bootstrapIntervals(
  n: number,
  statistic: (indices: Int32Array) => number[] | undefined,
  seed: number,
  resamples = BOOTSTRAP_RESAMPLES,
): Array<[number, number]> | undefined {
  if (n < 2) return undefined;
  const rng = createRng(seed).fork('bootstrap');
  const draws: number[][] = [];
  const indices = new Int32Array(n);
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < n; i++) indices[i] = Math.floor(rng.next() * n);
    const values = statistic(indices);
    if (values?.every(Number.isFinite)) draws.push(values);
  }
  // Fewer than half the resamples fitted: the interval would describe the lucky ones only.
  if (draws.length < resamples / 2) return undefined;
  const width = draws[0]?.length ?? 0;
  const out: Array<[number, number]> = [];
  for (let j = 0; j < width; j++) {
    const sorted = sortedSamples(draws.map((d) => d[j] as number));
    out.push([quantile(sorted, INTERVAL[0]) as number, quantile(sorted, INTERVAL[1]) as number]);
  }
  return out;
}
