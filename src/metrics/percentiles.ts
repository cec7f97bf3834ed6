// The one way podbench computes percentiles: linear interpolation between closest ranks
// (Hyndman & Fan type 7, the default of numpy.percentile and of R's quantile()). For n
// sorted samples x[0..n-1] and a fraction p, h = (n - 1)p and the value is
// x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]). Nothing is trimmed.
import type { Distribution } from '../core/distribution.js';

/** Sorted copy as a Float64Array (numeric order, unlike Array.prototype.sort's default). */
export function sortedSamples(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
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
  const sorted = sortedSamples(values);
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
