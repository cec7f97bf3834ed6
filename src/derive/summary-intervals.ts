// Every percentile, mean, rate and share of a variant's summary gets its 95% interval from
// the run's own requests, by the method the comparison with a baseline uses (src/checks,
// docs/ci.md), so the interval a report shows and the noise a verdict weighs are one thing:
//
//   percentiles and means  the percentile bootstrap of the run's request table: the 2.5%
//                          and 97.5% points of the replicates' deviations, around the value
//                          summary.json states (src/checks/bootstrap.ts). The mean and the
//                          percentiles of one metric share their resamples.
//   rates                  the same bootstrap replaying the run's schedule (closed or open loop);
//                          the rates of one table share their resamples (one replay each)
//   shares                 Wilson's score interval (src/checks/score-interval.ts)
//
// A figure the run is too small for gets null and the reason (the comparison's minimum
// sizes: p95 needs 40 values, p99 200, a mean 30, a rate 20 requests). Seeded by the variant
// and the figure: the same records give the same intervals. The table holds at most
// MAX_TABLE_ROWS rows and each replicate draws at most MAX_RESAMPLE_SIZE, so the cost does not
// grow with the run.
import type { Interval } from '../core/interval95.js';
import type { VariantSummary } from '../core/summary.js';
import { throughputDeviationsOf, tooFewReason, valueDeviationsOf } from '../checks/bootstrap.js';
import { METRICS, type MetricInfo } from '../checks/metrics.js';
import { sampleOf, type Sample, type Statistic } from '../checks/samples.js';
import { wilson } from '../checks/score-interval.js';
import { quantile } from '../metrics/percentiles.js';
import { TABLE_COLUMNS, type RequestTable } from '../metrics/request-table.js';
import { drawOrder, rngFor, type ValueDeviations } from '../checks/value-deviations.js';

type ValuesSample = Extract<Sample, { kind: 'values' }>;
type ThroughputSample = Extract<Sample, { kind: 'throughput' }>;

type Slot = Record<string, unknown> & { interval95?: Record<string, unknown> & { reasons?: Record<string, string> } };

const POOLED_REASON = 'pooled over chunks: no one value per request to resample';

function at(root: unknown, path: readonly string[]): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Keeps six significant digits: enough for any figure, without float noise in the file. */
function tidy(v: number): number {
  return Number(v.toPrecision(6));
}

function place(variant: VariantSummary, metric: MetricInfo, interval: Interval, reason?: string): void {
  const parent = at(variant, metric.path.slice(0, -1)) as Slot;
  const key = metric.path[metric.path.length - 1] as string;
  parent.interval95 ??= {};
  parent.interval95[key] = interval === null ? null : [tidy(interval[0]), tidy(interval[1])];
  if (reason !== undefined) {
    parent.interval95.reasons ??= {};
    parent.interval95.reasons[key] = reason;
  }
}

/** value + the 2.5% and 97.5% points of the deviations: the percentile bootstrap interval. */
function around(value: number, deviations: Float64Array): [number, number] {
  const sorted = Float64Array.from(deviations).sort();
  return [value + (quantile(sorted, 0.025) as number), value + (quantile(sorted, 0.975) as number)];
}

interface Pending {
  metric: MetricInfo;
  value: number;
  statistic: Statistic;
}

/** Adds `interval95` beside every figure of `variant` its request table can back (mutates `variant`); `drawn`: valueDeviations (src/checks/value-deviations.ts) of the table, when drawn elsewhere. */
export function addIntervals(variant: VariantSummary, table: RequestTable, drawn?: ValueDeviations): void {
  // Statistics of one metric over one population share their resamples.
  const groups = new Map<string, { values: ValuesSample; pending: Pending[] }>();
  // Throughputs of one table share their resamples too: the same requests drawn, the run's
  // window replayed once per replicate for all of them (bootstrap.ts throughputDeviationsOf).
  const throughputs: Array<{ metric: MetricInfo; value: number; sample: ThroughputSample }> = [];
  for (const metric of METRICS) {
    const value = at(variant, metric.path);
    if (typeof value !== 'number') continue;
    const sample = sampleOf(metric, table);
    if (sample === undefined) {
      const perChunk = metric.stat !== undefined && (metric.stat === 'mean' || /^p\d+$/.test(metric.stat));
      if (perChunk && !(TABLE_COLUMNS as readonly string[]).includes(metric.base) && metric.path.includes('metrics'))
        place(variant, metric, null, POOLED_REASON);
      continue;
    }
    const tooFew = tooFewReason(sample);
    if (tooFew !== undefined) {
      place(variant, metric, null, tooFew);
      continue;
    }
    if (sample.kind === 'share') {
      place(variant, metric, wilson(value * sample.trials, sample.trials));
      continue;
    }
    if (sample.kind === 'throughput') {
      if (sample.load.model === 'other') {
        place(variant, metric, null, 'a throughput under ramps of users or probes has no schedule to replay');
        continue;
      }
      throughputs.push({ metric, value, sample });
      continue;
    }
    const key = `${metric.population}.${metric.base}`;
    const group = groups.get(key) ?? { values: sample, pending: [] };
    group.pending.push({ metric, value, statistic: sample.statistic });
    groups.set(key, group);
  }
  const throughputDeviations = throughputDeviationsOf(
    throughputs.map((t) => t.sample),
    throughputs.map((t) => t.value),
    rngFor(variant.name, 'throughput'),
  );
  for (const [i, t] of throughputs.entries())
    place(variant, t.metric, around(t.value, throughputDeviations[i] as Float64Array));
  // Warm (or cold) requests are a subset of all: as many values as all's means the same
  // values, whose resamples all's already drew (every request warm is the common case).
  const own = new Map<string, { length: number; stats: string; deviations: Float64Array[] }>();
  for (const [key, { values, pending }] of drawOrder(groups)) {
    const stats = pending.map((p) => JSON.stringify(p.statistic)).join();
    const base = key.slice(key.indexOf('.') + 1);
    const all = own.get(base);
    const elsewhere = drawn?.[key];
    const picked = elsewhere
      ? pending.map((p) => elsewhere.deviations[elsewhere.stats.indexOf(JSON.stringify(p.statistic))])
      : undefined;
    const deviations =
      picked && picked.every((d) => d !== undefined)
        ? (picked as Float64Array[])
        : all && all.length === values.values.length && all.stats === stats
          ? all.deviations
          : valueDeviationsOf(
              values.values,
              values.total,
              pending.map((p) => p.statistic),
              rngFor(variant.name, key),
            );
    if (key.startsWith('all.')) own.set(base, { length: values.values.length, stats, deviations });
    for (const [i, p] of pending.entries()) place(variant, p.metric, around(p.value, deviations[i] as Float64Array));
  }
}
