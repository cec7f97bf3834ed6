// "Where does latency bend as load grows?" When a run's variants differ in exactly one
// matrix parameter and its values are numbers (concurrency, rate, max_batch_size...), the
// page draws each metric against that parameter, one line per percentile. The numbers are
// summary.json's (exact, over every request), not the sampled CDFs.
import type { VariantSummary } from '../../core/summary.js';
import { round3 } from './cdf.js';
import { AXIS_PERCENTILES, type AxisMetric, type NumericAxis } from './types.js';

const AXIS_METRICS: readonly AxisMetric[] = ['ttftMs', 'e2eMs', 'tpotMs'];

/** The one parameter the variants differ in, when it is numeric; null otherwise (with fewer than 2 variants too). */
export function numericParam(variants: readonly VariantSummary[]): string | null {
  if (variants.length < 2) return null;
  const keys = new Set(variants.flatMap((v) => Object.keys(v.params)));
  const differing = [...keys].filter((key) => {
    const first = JSON.stringify(variants[0]?.params[key]);
    return variants.some((v) => JSON.stringify(v.params[key]) !== first);
  });
  if (differing.length !== 1) return null;
  const key = differing[0] as string;
  return variants.every((v) => typeof v.params[key] === 'number' && Number.isFinite(v.params[key])) ? key : null;
}

/**
 * Of the variants at one value, the one plotted: the one that measured the most requests (a
 * capacity sweep runs an unsettled step again with twice the requests, at the same value),
 * the later one of equals. Two points at one x would draw the line back on itself.
 */
function kept(
  variants: readonly VariantSummary[],
  param: string,
): { index: number[]; superseded: NumericAxis['superseded'] } {
  const best = new Map<number, number>();
  variants.forEach((v, i) => {
    const value = v.params[param] as number;
    const held = best.get(value);
    if (held === undefined || v.counts.sent >= (variants[held] as VariantSummary).counts.sent) best.set(value, i);
  });
  const superseded: NumericAxis['superseded'] = [];
  variants.forEach((v, i) => {
    const by = best.get(v.params[param] as number) as number;
    if (by !== i) superseded.push({ name: v.name, by: (variants[by] as VariantSummary).name });
  });
  return { index: [...best.values()], superseded };
}

export function numericAxis(variants: readonly VariantSummary[]): NumericAxis | null {
  const param = numericParam(variants);
  if (param === null) return null;
  const { index, superseded } = kept(variants, param);
  if (index.length < 2) return null;
  const order = index
    .map((i) => ({ value: (variants[i] as VariantSummary).params[param] as number, index: i }))
    .sort((a, b) => a.value - b.value || a.index - b.index);
  const ordered = order.map(({ index }) => variants[index] as VariantSummary);
  const maybe = (value: number | null) => (value === null ? null : round3(value));
  const lines: NumericAxis['lines'] = [];
  for (const metric of AXIS_METRICS) {
    if (!ordered.some((v) => v.metrics[metric].count > 0)) continue;
    for (const percentile of AXIS_PERCENTILES)
      lines.push({ metric, percentile, values: ordered.map((v) => maybe(v.metrics[metric][percentile])) });
  }
  return {
    param,
    values: order.map((o) => o.value),
    variantIndex: order.map((o) => o.index),
    lines,
    requestsPerSec: ordered.map((v) => maybe(v.throughput.requestsPerSec)),
    outputTokensPerSec: ordered.map((v) => maybe(v.throughput.outputTokensPerSec)),
    superseded,
  };
}
