// What compare reads and --save-baseline writes: every metric of every variant, over one
// run or over the N runs of --repeat (mean, spread, 95% interval), and each run's request
// table (src/metrics/request-table.ts), the per-request values compare resamples to tell a
// change from noise. One shape for a single run, a repeat's aggregate.json and a baseline
// file, so any two can be compared, and a baseline file alone is enough.
//
// formatVersion 2 added `requests` (and `effective`); version 1 files still read, and are
// compared by their bands (or Welch's interval over repeats), as they were.
import { SCHEMA_VERSION, type RunSummary, type ThresholdResult } from '../core/summary.js';
import type { RequestTable } from '../metrics/request-table.js';
import { estimate, type Estimate } from './confidence.js';
import { METRICS, lookupMetric, metricValue } from './metrics.js';
import { measuredFields } from './provenance.js';
import type { MeasuredVariant } from './thresholds.js';

export const STATS_FORMAT = 'podbench-stats';
export const STATS_FORMAT_VERSION = 2;
/** Versions this podbench reads. */
export const STATS_FORMAT_VERSIONS: readonly number[] = [1, 2];

export interface StatsVariant {
  name: string;
  /** The variant's load in words (run.json), so runs under another load are not compared; absent in older files. */
  load?: string;
  /** What the variant measured, as compare diffs it (./provenance.ts); absent in older files. */
  effective?: Record<string, unknown>;
  metrics: Record<string, Estimate>;
  /** One request table per run, in run order; absent in files before formatVersion 2. */
  requests?: RequestTable[];
}

export interface RunStats {
  format: typeof STATS_FORMAT;
  formatVersion: number;
  /** summary.json's schemaVersion of the runs it came from. */
  schemaVersion: number;
  scenario: { name: string; sha256: string };
  runs: Array<{ runId: string; startedAt: string }>;
  variants: StatsVariant[];
  /** aggregate.json of a repeat: thresholds checked against the means. */
  thresholds?: ThresholdResult[];
}

/**
 * Statistics of one or more runs of the same scenario (variants matched by name, first run's
 * order). `tables`: each run's request tables by variant, when the records were at hand.
 */
export function runStats(
  summaries: readonly RunSummary[],
  tables?: ReadonlyArray<Readonly<Record<string, RequestTable>>>,
): RunStats {
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
    const meta = first.run.variants?.find((v) => v.name === name);
    const load = meta?.load;
    const requests = tables?.map((byVariant) => byVariant[name]);
    return {
      name,
      ...(load !== undefined ? { load } : {}),
      ...(meta?.effective !== undefined ? { effective: measuredFields(meta.effective, first.run.target.kind) } : {}),
      metrics,
      // Every run's table, or none: resampling some runs of a repeat and not others would mislead.
      ...(requests?.every((t): t is RequestTable => t !== undefined) ? { requests } : {}),
    };
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
