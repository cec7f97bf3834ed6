// A note for SLOs nothing will read. Percentile SLOs ("e2eMs.p95 < 2s") judge a capacity
// sweep's steps, or pick the variant a plan sizes on; per-request ones ("ttft <= 500ms") give
// goodput in every run. A user who gives a percentile SLO to a plain run most likely meant a
// check, and would otherwise see the run pass without a word about it.
import { aggregateSlos } from '../metrics/goodput.js';
import type { Variant } from '../scenario/load.js';

/** The note when the scenario's percentile SLOs have no sweep or plan to judge; undefined otherwise. */
export function unreadSlosNote(variant: Variant): string | undefined {
  const { slo, sweep, plan } = variant.scenario;
  const percentiles = aggregateSlos(slo);
  if (percentiles.length === 0 || sweep !== undefined || plan !== undefined) return undefined;
  return `slo: ${percentiles.map((s) => `'${s}'`).join(', ')} judges the steps of a capacity sweep (sweep:) or picks what a plan sizes on (plan:); this run has neither, so nothing checks it: to fail the run on it, give it as a threshold (--threshold '${percentiles[0]}')`;
}
