// Uncertainty over repeated runs. Each run gives one value per metric (its p95, its error
// rate...); over N runs podbench reports the mean of those values with a Student t 95%
// confidence interval, mean ± t(0.975, N−1) · s / √N, s the sample standard deviation.
// Comparing two sets of runs uses Welch's interval for the difference of the means
// (unequal variances, Welch–Satterthwaite degrees of freedom).
import { studentTQuantile } from './student-t.js';

export const CONFIDENCE = 0.95;

/** One metric over one or more runs. */
export interface Estimate {
  /** Runs that measured it. */
  n: number;
  mean: number;
  /** Sample standard deviation over the runs (n >= 2). */
  sd?: number;
  /** 95% confidence interval of the mean (n >= 2). */
  ci?: [number, number];
  /** Each run's value, in run order, runs without a value left out. */
  values: number[];
}

export function estimate(values: readonly number[]): Estimate | undefined {
  const n = values.length;
  if (n === 0) return undefined;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n === 1) return { n, mean, values: [...values] };
  const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
  const half = studentTQuantile(1 - (1 - CONFIDENCE) / 2, n - 1) * (sd / Math.sqrt(n));
  return { n, mean, sd, ci: [mean - half, mean + half], values: [...values] };
}

/** Does the estimate carry an interval (two runs or more)? */
export function hasInterval(e: Estimate): e is Estimate & { sd: number; ci: [number, number] } {
  return e.n >= 2 && e.sd !== undefined && e.ci !== undefined;
}

/**
 * 95% interval of current.mean − baseline.mean (Welch). With no spread on either side the
 * interval is the difference itself: identical repeated values leave no doubt.
 */
export function differenceInterval(
  baseline: Estimate & { sd: number },
  current: Estimate & { sd: number },
): [number, number] {
  const diff = current.mean - baseline.mean;
  const vb = baseline.sd ** 2 / baseline.n;
  const vc = current.sd ** 2 / current.n;
  const se = Math.sqrt(vb + vc);
  if (se === 0) return [diff, diff];
  const df = (vb + vc) ** 2 / (vb ** 2 / (baseline.n - 1) + vc ** 2 / (current.n - 1));
  const half = studentTQuantile(1 - (1 - CONFIDENCE) / 2, df) * se;
  return [diff - half, diff + half];
}
