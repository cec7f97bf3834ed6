// A metric's distribution as summary.json states it (src/metrics/percentiles.ts computes it:
// type 7 percentiles over every sample, nothing trimmed). Null fields: no samples.
export interface Distribution {
  count: number;
  mean: number | null;
  min: number | null;
  p50: number | null;
  p90: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
}
