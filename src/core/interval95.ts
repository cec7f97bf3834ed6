// A figure's 95% interval as summary.json states it, from the run's own records
// (src/derive/summary-intervals.ts; docs/metrics.md). Every object holding percentiles, a
// mean, a rate or a share gets one `interval95` beside them, keyed by the same names:
// `metrics.ttftMs.interval95.p95`, `throughput.interval95.requestsPerSec`.

/** [low, high], or null when the run cannot back an interval (the reason is in `reasons`). */
export type Interval = [number, number] | null;

/**
 * Intervals of the figures `K` of one object. A figure without a value of its own has no
 * key; a figure with a value but no interval has null, and its reason once in `reasons`.
 */
export type Intervals95<K extends string> = { [F in K]?: Interval } & { reasons?: { [F in K]?: string } };
