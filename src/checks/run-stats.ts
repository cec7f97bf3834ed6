// What compare reads and --save-baseline writes: every metric of every variant, over one
// run or over the N runs of --repeat (mean, spread, 95% interval). One shape for a single
// summary.json, a repeat's aggregate.json and a baseline file, so any two can be compared.
import { SCHEMA_VERSION, type RunSummary, type ThresholdResult } from '../core/summary.js';
import { estimate, type Estimate } from './confidence.js';
import { METRICS, lookupMetric, metricValue } from './metrics.js';
import type { MeasuredVariant } from './thresholds.js';

export const STATS_FORMAT = 'podbench-stats';
export const STATS_FORMAT_VERSION = 1;

export interface RunStats {
  format: typeof STATS_FORMAT;
  formatVersion: number;
  /** summary.json's schemaVersion of the runs it came from. */
  schemaVersion: number;
  scenario: { name: string; sha256: string };
  runs: Array<{ runId: string; startedAt: string }>;
  /** `load`: the variant's load in words (run.json), so runs under another load are not compared; absent in older files. */
  variants: Array<{ name: string; load?: string; metrics: Record<string, Estimate> }>;
  /** aggregate.json of a repeat: thresholds checked against the means. */
  thresholds?: ThresholdResult[];
}

/** Statistics of one or more runs of the same scenario (variants matched by name, first run's order). */
export function runStats(summaries: readonly RunSummary[]): RunStats {
  const first = summaries[0];
  if (!first) throw new Error('runStats: no runs');
  // HTTP status codes are open-ended: take every code any run saw.
  const codes = new Set(summaries.flatMap((s) => s.variants.flatMap((v) => Object.keys(v.counts.httpStatus ?? {}))));
  const statusMetrics = [...codes].sort().flatMap((code) => lookupMetric(`httpStatus.${code}`) ?? []);
  const variants = first.variants.map(({ name }) => {
    const metrics: Record<string, Estimate> = {};
    for (const metric of [...METRICS, ...statusMetrics]) {
      const values: number[] = [];
      for (const summary of summaries) {
        const variant = summary.variants.find((v) => v.name === name);
        const value = variant ? metricValue(variant, metric) : null;
        if (value !== null) values.push(value);
      }
      const e = estimate(values);
      if (e) metrics[metric.name] = e;
    }
    const load = first.run.variants?.find((v) => v.name === name)?.load;
    return { name, ...(load !== undefined ? { load } : {}), metrics };
  });
  return {
    format: STATS_FORMAT,
    formatVersion: STATS_FORMAT_VERSION,
    schemaVersion: first.schemaVersion ?? SCHEMA_VERSION,
    scenario: { name: first.run.scenario.name, sha256: first.run.scenario.sha256 },
    runs: summaries.map((s) => ({ runId: s.run.runId, startedAt: s.run.startedAt })),
    variants,
  };
}

/** Thresholds over repeats are checked against the mean of the runs; the interval is reported with it. */
export function statsVariants(stats: RunStats): MeasuredVariant[] {
  return stats.variants.map((v) => ({
    name: v.name,
    measure: (metric) => {
      const e = v.metrics[metric.name];
      if (!e) return { value: metric.absentIsZero ? 0 : null, runs: 0 };
      return { value: e.mean, runs: e.n, ...(e.ci ? { ci: e.ci } : {}) };
    },
  }));
}
