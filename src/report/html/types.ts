// The data report.html embeds: a compact, JSON-able object built in one streaming pass over
// results.ndjson (collect.ts) and drawn in the browser (client/). Its size does not grow
// with the run: every part is either an aggregate (time windows, means), quantiles on a
// fixed probability grid, or a bounded random sample, and whatever was sampled says so in
// `downsampled`, which the page prints. Exact headline numbers come from summary.json, not
// from here.
//
// Arrays indexed by variant follow `variants`: the order of summary.json, or, when the
// variants differ in one numeric parameter (a sweep, a concurrency matrix), that parameter's
// order. A variant's colour is picked by that index, so it is the same on every chart and table.

/** Raised when the shape of this object changes, so a golden test diff is never a surprise. */
export const REPORT_DATA_VERSION = 2;

/**
 * Quantiles at the probabilities of ReportData.cdfGrid (type 7, src/metrics/percentiles.ts),
 * rounded to 0.001. `sampled` < `count` means they come from a uniform random sample.
 */
export interface Cdf {
  count: number;
  sampled: number;
  /** Empty when count is 0. */
  valuesAtGrid: number[];
}

/**
 * The exact CDF of a count (tokens per chunk, polls per request): each distinct value with
 * the share of observations at or below it. Thinned to at most a few hundred points (still
 * exact at every point kept) when a run has more distinct values.
 */
export interface DiscreteCdf {
  count: number;
  values: number[];
  shareAtOrBelow: number[];
  /** Distinct values before thinning. */
  distinct: number;
}

export interface OverTime {
  /** The run's extent: the time axis runs from 0 to spanMs. */
  spanMs: number;
  /** Width of each window; the last one may be shorter (it ends at spanMs). */
  windowMs: number;
  /** Start of every window, ms from run start. */
  startMs: number[];
  /**
   * [variant][window]. null outside the variant's active span (first scheduled → last end),
   * so variants that ran one after another do not draw flat zeros over each other.
   * Every phase counts (warmup traffic loads the endpoint too).
   */
  inFlight: Array<Array<number | null>>;
  completionsPerSec: Array<Array<number | null>>;
  outputTokensPerSec: Array<Array<number | null>>;
  errorsPerSec: Array<Array<number | null>>;
  /** p50 of the requests sent in the window; null when none had the metric. */
  ttftP50Ms: Array<Array<number | null>>;
  e2eP50Ms: Array<Array<number | null>>;
}

/** What GET /health reported, the maximum of each field per window of OverTime. */
export interface HealthSeries {
  samples: number;
  failedSamples: number;
  /** e.g. "workers.running", "jobs.inQueue"; series that stayed 0 all run are left out. */
  series: Array<{ name: string; values: Array<number | null> }>;
}

export const TIMELINE_FLAGS = { warmup: 1, error: 2, cold: 4 } as const;

/** [variant, scheduledMs, sentMs, firstTokenMs, endMs, flags (TIMELINE_FLAGS bits)]. */
export type TimelineBar = [number, number, number | null, number | null, number, number];

export interface Timeline {
  /** Requests in the run (every phase and outcome). */
  total: number;
  /** Bars in order of scheduledMs (then seq); a uniform random sample when shown < total. */
  bars: TimelineBar[];
}

/** Means over ok measured requests that reported both delayTime and executionTime: they add up to e2eMeanMs. */
export interface ServerSplit {
  count: number;
  delayMeanMs: number;
  executionMeanMs: number;
  overheadMeanMs: number;
  e2eMeanMs: number;
}

export type AxisMetric = 'ttftMs' | 'e2eMs' | 'tpotMs';
export const AXIS_PERCENTILES = ['p50', 'p90', 'p95', 'p99'] as const;

/** Variants that differ in one numeric parameter only, lined up along it (from summary.json, exact). */
export interface NumericAxis {
  /** The parameter's field path, e.g. "load.concurrency". */
  param: string;
  /** Ascending; one entry per variant. */
  values: number[];
  variantIndex: number[];
  /** One line per (metric, percentile); metrics no variant measured are left out. */
  lines: Array<{ metric: AxisMetric; percentile: (typeof AXIS_PERCENTILES)[number]; values: Array<number | null> }>;
  requestsPerSec: Array<number | null>;
  outputTokensPerSec: Array<number | null>;
  /** Variants at a value another variant holds with more requests (a sweep's rerun): not plotted. */
  superseded: Array<{ name: string; by: string }>;
}

/** [sentMs, delayMs] of one job. */
export type DelayPoint = [number, number];

export interface ColdStartPoints {
  /** Jobs with server timing, warmup included (it warms workers); cold as classified by src/metrics/cold-start.ts. */
  coldTotal: number;
  warmTotal: number;
  /** Sorted by sentMs; uniform random samples when shorter than the totals. */
  cold: DelayPoint[];
  warm: DelayPoint[];
}

export interface ReportData {
  version: typeof REPORT_DATA_VERSION;
  variants: string[];
  /** Probabilities (0..1) at which every Cdf is taken. */
  cdfGrid: number[];
  /** ok measured requests, warmup excluded, as in summary.json. */
  distributions: { ttftMs: Cdf[]; e2eMs: Cdf[] };
  /**
   * The same over warm requests only (server timing, not classified cold), when the run had
   * cold starts: the all-requests tail is then mostly cold starts. null without cold starts.
   */
  warmDistributions: { ttftMs: Cdf[]; e2eMs: Cdf[] } | null;
  overTime: OverTime;
  health: HealthSeries | null;
  timeline: Timeline;
  /** Chunks of ok measured requests (pooled per variant) and /status or /stream polls per sent request. */
  streaming: { chunkTokens: DiscreteCdf[]; chunkGapMs: Cdf[]; polls: DiscreteCdf[] };
  serverSplit: Array<ServerSplit | null>;
  numericAxis: NumericAxis | null;
  coldStarts: ColdStartPoints[];
  /** One sentence per downsampled view, printed on the page; empty when nothing was. */
  downsampled: string[];
  /** What the run was for; render.ts adds it from run.json and summary.json (not the collector). */
  context?: PageContext;
}

/** An SLO drawn on the chart of its metric against the swept parameter. */
export interface SloLine {
  /** As written, e.g. "e2eMs.p95 < 1200ms". */
  text: string;
  metric: AxisMetric;
  percentile: (typeof AXIS_PERCENTILES)[number];
  limitMs: number;
}

/** One stream batching or polling setting, for the tuning chart. */
export interface TuningPoint {
  variant: number;
  streamCallsPerRequest: number;
  ttftP50Ms: number | null;
  ttftP95Ms: number | null;
}

/**
 * What the run was for, from run.json and summary.json (render.ts adds it to the data the
 * page embeds): the SLOs a sweep keeps, a TTFT target, the tuning settings.
 */
export interface PageContext {
  slo: SloLine[];
  ttftTargetMs: number | null;
  tuning: TuningPoint[] | null;
}
