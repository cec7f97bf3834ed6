// The one way podbench computes percentiles: linear interpolation between closest ranks
// (Hyndman & Fan type 7, the default of numpy.percentile and of R's quantile()). For n
// sorted samples x[0..n-1] and a fraction p, h = (n - 1)p and the value is
// x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]). Nothing is trimmed.
import type { Distribution } from '../core/distribution.js';
import { sortValues } from './sort-values.js';

/** Sorted copy as a Float64Array (numeric order, unlike Array.prototype.sort's default). */
export function sortedSamples(values: ArrayLike<number>): Float64Array {
  return sortValues(Float64Array.from(values));
}

/** p in [0, 1]; undefined for no samples. `sorted` must be ascending. */
export function quantile(sorted: ArrayLike<number>, p: number): number | undefined {
  const n = sorted.length;
  if (n === 0) return undefined;
  const h = (n - 1) * Math.min(1, Math.max(0, p));
  const lo = Math.floor(h);
  const a = sorted[lo] as number;
  if (lo + 1 >= n) return a;
  return a + (h - lo) * ((sorted[lo + 1] as number) - a);
}

export const EMPTY_DISTRIBUTION: Distribution = {
  count: 0,
  mean: null,
  min: null,
  p50: null,
  p90: null,
  p95: null,
  p99: null,
  max: null,
};

export function distribution(values: ArrayLike<number>): Distribution {
  if (values.length === 0) return EMPTY_DISTRIBUTION;
  return distributionOfSorted(sortedSamples(values));
}

/** The same from values already sorted ascending (and owned by the caller: nothing is copied). */
export function distributionOfSorted(sorted: Float64Array): Distribution {
  if (sorted.length === 0) return EMPTY_DISTRIBUTION;
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    count: sorted.length,
    mean: sum / sorted.length,
    min: sorted[0] as number,
    p50: quantile(sorted, 0.5) as number,
    p90: quantile(sorted, 0.9) as number,
    p95: quantile(sorted, 0.95) as number,
    p99: quantile(sorted, 0.99) as number,
    max: sorted[sorted.length - 1] as number,
  };
}

/**
 * The same from a histogram of whole numbers (counts[v]: how many values equal v), without
 * laying the values out: what `distribution` gives for those values, to the last digit. The
 * sum of whole numbers (below 2^53) is exact in any order, and each percentile reads the
 * same two ranks of the same sorted values through the same formula.
 */
export function distributionOfCounts(counts: ArrayLike<number>): Distribution {
  let n = 0;
  let sum = 0;
  let min = -1;
  let max = -1;
  for (let v = 0; v < counts.length; v++) {
    const c = counts[v] as number;
    if (c === 0) continue;
    n += c;
    sum += v * c;
    if (min < 0) min = v;
    max = v;
  }
  if (n === 0) return EMPTY_DISTRIBUTION;
  const sorted = { length: n, rank: (k: number) => valueAtRank(counts, k) };
  const q = (p: number) => {
    const h = (n - 1) * Math.min(1, Math.max(0, p));
    const lo = Math.floor(h);
    const a = sorted.rank(lo);
    if (lo + 1 >= n) return a;
    return a + (h - lo) * (sorted.rank(lo + 1) - a);
  };
  return { count: n, mean: sum / n, min, p50: q(0.5), p90: q(0.9), p95: q(0.95), p99: q(0.99), max };
}

/** The k-th smallest value (0-based) of a histogram of whole numbers. */
function valueAtRank(counts: ArrayLike<number>, k: number): number {
  let below = 0;
  for (let v = 0; v < counts.length; v++) {
    below += counts[v] as number;
    if (below > k) return v;
  }
  return counts.length - 1;
}

/** A growable Float64Array: values collected per metric without boxing each number. */
export class SampleBuffer {
  private data = new Float64Array(64);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  values(): Float64Array {
    return this.data.subarray(0, this.length);
  }
}

/** A growable Int32Array, for request numbers beside samples (4 bytes each instead of 8). */
export class IntBuffer {
  private data = new Int32Array(64);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  values(): Int32Array {
    return this.data.subarray(0, this.length);
  }
}
