// The scenario's thresholds as k6 thresholds, for people who run an exported script with
// plain k6 (podbench run evaluates thresholds itself, over the records, and runs k6 with
// --no-thresholds). Pure. Only what the script measures maps: the Trends and the failure
// Rate it fills for successful (resp. all) measured requests, per variant. Everything else
// (throughput windows, cold/warm splits, token counts) needs the whole run's records and
// stays a podbench check; the script lists those as comments so nothing is dropped silently.
import { parseThreshold, selects, type Threshold } from '../../checks/threshold-parse.js';

/** Custom metrics the k6 script defines; the names are shared with the record reader. */
export const K6_METRICS = {
  ttftMs: 'podbench_ttft',
  e2eMs: 'podbench_e2e',
  delayMs: 'podbench_delay',
  executionMs: 'podbench_execution',
  failed: 'podbench_failed',
  events: 'podbench_events',
} as const;

const TREND_OF: Record<string, string> = {
  ttftMs: K6_METRICS.ttftMs,
  e2eMs: K6_METRICS.e2eMs,
  delayMs: K6_METRICS.delayMs,
  executionMs: K6_METRICS.executionMs,
};

const K6_STAT: Record<string, string> = {
  mean: 'avg',
  min: 'min',
  max: 'max',
  p50: 'med',
  p90: 'p(90)',
  p95: 'p(95)',
  p99: 'p(99)',
};

export interface K6Thresholds {
  /** k6 `thresholds` option: metric name → expressions. */
  mapped: Record<string, string[]>;
  /** Thresholds for this variant that k6 cannot evaluate, with why. */
  unmapped: Array<{ text: string; reason: string }>;
}

/** One parsed threshold as a k6 expression, or why it has none. */
export function k6Threshold(threshold: Threshold): { metric: string; expression: string } | { reason: string } {
  const { metric, op, limit } = threshold;
  if (metric.population !== 'all') return { reason: 'cold and warm requests are told apart only from the whole run' };
  if (metric.base === 'errorRate') return { metric: K6_METRICS.failed, expression: `rate${op}${limit}` };
  const trend = TREND_OF[metric.base];
  if (trend === undefined)
    return { reason: 'the k6 script does not measure it (podbench computes it from the records)' };
  const stat = metric.stat !== undefined ? K6_STAT[metric.stat] : undefined;
  if (stat === undefined) return { reason: `k6 Trends have no ${metric.stat ?? 'plain'} statistic` };
  return { metric: trend, expression: `${stat}${op}${limit}` };
}

/** The thresholds of a scenario that apply to one variant, split into k6 thresholds and the rest. */
export function k6Thresholds(texts: readonly string[], variantName: string): K6Thresholds {
  const mapped: Record<string, string[]> = {};
  const unmapped: K6Thresholds['unmapped'] = [];
  for (const text of texts) {
    const parsed = parseThreshold(text);
    if (!parsed.ok) {
      unmapped.push({ text, reason: parsed.problem.message });
      continue;
    }
    if (!selects(parsed.threshold.selector, variantName)) continue;
    const k6 = k6Threshold(parsed.threshold);
    if ('reason' in k6) unmapped.push({ text, reason: k6.reason });
    else {
      mapped[k6.metric] ??= [];
      mapped[k6.metric]?.push(k6.expression);
    }
  }
  return { mapped, unmapped };
}
