// The value resamples behind a variant's 95% intervals (src/derive/summary-intervals.ts),
// drawn from its request table alone, before the summary exists: a report draws them on its
// requests.csv worker while the main thread sorts the distributions. Here, in checks/, beside
// the bootstrap, so both the derivation and the report's worker can reach them.
import { tooFewReason, valueDeviationsOf } from './bootstrap.js';
import { METRICS } from './metrics.js';
import { sampleOf, type Sample, type Statistic } from './samples.js';
import type { RequestTable } from '../metrics/request-table.js';
import { createRng, hashString } from '../util/rng.js';

type ValuesSample = Extract<Sample, { kind: 'values' }>;

/** The seeded generator of one figure (or one group of figures) of one variant's intervals. */
export function rngFor(variant: string, key: string) {
  return createRng(hashString(`interval95\u0000${variant}\u0000${key}`));
}

/**
 * A variant's value resamples by group (population and column: the statistics of one metric
 * over one population share their draws): each statistic drawn (as JSON) and its deviations.
 */
export type ValueDeviations = Record<string, { stats: string[]; deviations: Float64Array[] }>;

/** The statistic of every metric the table backs with enough values, grouped as addIntervals groups them. */
function valueGroups(table: RequestTable): Map<string, { values: ValuesSample; statistics: Statistic[] }> {
  const groups = new Map<string, { values: ValuesSample; statistics: Statistic[] }>();
  for (const metric of METRICS) {
    const sample = sampleOf(metric, table);
    if (sample?.kind !== 'values' || tooFewReason(sample) !== undefined) continue;
    const key = `${metric.population}.${metric.base}`;
    const group = groups.get(key) ?? { values: sample, statistics: [] };
    const stat = JSON.stringify(sample.statistic);
    if (!group.statistics.some((s) => JSON.stringify(s) === stat)) group.statistics.push(sample.statistic);
    groups.set(key, group);
  }
  return groups;
}

/** Groups in the order they are drawn: all's first, so warm (or cold) can reuse its draws. */
export function drawOrder<T>(groups: Map<string, T>): Array<[string, T]> {
  return [...groups].sort(([a], [b]) => Number(!a.startsWith('all.')) - Number(!b.startsWith('all.')));
}

/**
 * Every value group's deviations a variant's intervals can need, from its request table
 * alone (no summary yet): what addIntervals would draw, for every statistic the table has
 * enough values for. The report draws them on its CSV worker while this thread sorts the
 * distributions. A statistic's deviations depend on its group's draws, not on which other
 * statistics share them, so drawing more statistics than the summary states changes none.
 */
export function valueDeviations(variantName: string, table: RequestTable): ValueDeviations {
  const out: ValueDeviations = {};
  // As addIntervals does: a subset as large as all's holds the same values, and reuses its draws.
  const allLength = new Map<string, number>();
  for (const [key, { values, statistics }] of drawOrder(valueGroups(table))) {
    const stats = statistics.map((s) => JSON.stringify(s));
    const base = key.slice(key.indexOf('.') + 1);
    const all = out[`all.${base}`];
    out[key] =
      all && allLength.get(base) === values.values.length && all.stats.join() === stats.join()
        ? all
        : { stats, deviations: valueDeviationsOf(values.values, values.total, statistics, rngFor(variantName, key)) };
    if (key.startsWith('all.')) allLength.set(base, values.values.length);
  }
  return out;
}
