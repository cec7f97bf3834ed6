// A metric's distribution as summary.json states it (src/metrics/percentiles.ts computes it:
// type 7 percentiles over every sample, nothing trimmed). Null fields: no samples.
import type { Intervals95 } from './interval95.js';

export interface Distribution {
  count: number;
  mean: number | null;
  min: number | null;
  p50: number | null;
  p90: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
  /** 95% intervals of the mean and percentiles, from the run's own records (absent in older files). */
  interval95?: Intervals95<'mean' | 'p50' | 'p90' | 'p95' | 'p99'>;
}
