// Thresholds against measured numbers. A threshold without a selector is checked against
// each variant on its own, so a run with N variants gives N results per expression. Pure:
// the runner collects expressions (scenario, then --threshold flags) and prints results.
import { UsageError } from '../core/errors.js';
import type { RunSummary, ThresholdResult } from '../core/summary.js';
import { metricValue, type MetricInfo } from './metrics.js';
import { formatSyntaxProblem, parseThreshold, selects, type ComparisonOp, type Threshold } from './threshold-parse.js';

export interface ThresholdSource {
  text: string;
  /** Where it came from, for messages: "--threshold", "scenario.yaml: thresholds[2]". */
  origin: string;
}

/** Parses every expression; the first bad one ends the command (exit 2) with a pointer at the token. */
export function parseThresholds(sources: readonly ThresholdSource[]): Threshold[] {
  return sources.map(({ text, origin }) => {
    const parsed = parseThreshold(text);
    if (!parsed.ok) throw new UsageError(formatSyntaxProblem(origin, text, parsed.problem));
    return parsed.threshold;
  });
}

/** A selector that picks no variant is a typo, not a pass: say which variants exist. */
export function checkSelectors(
  thresholds: readonly Threshold[],
  origins: readonly string[],
  variantNames: readonly string[],
): void {
  thresholds.forEach((t, i) => {
    if (t.selector && !variantNames.some((name) => selects(t.selector, name))) {
      throw new UsageError(
        `${origins[i] ?? 'threshold'} "${t.text}": [${t.selector.text}] matches no variant; the variants are: ${variantNames.map((n) => `"${n}"`).join(', ')}`,
      );
    }
  });
}

/**
 * The expressions a run checks: the scenario's `thresholds`, then --threshold flags. All
 * parsed and their selectors matched against the variants now, before a request is sent.
 */
export function thresholdsForRun(
  file: string,
  variants: ReadonlyArray<{ name: string; thresholds: readonly string[] }>,
  flags: readonly string[],
): string[] {
  const fromScenario = variants[0]?.thresholds ?? [];
  if (variants.some((v) => v.thresholds.join('\n') !== fromScenario.join('\n'))) {
    throw new UsageError(
      `${file}: thresholds: a matrix cannot vary the thresholds; give one list and scope entries to variants, e.g. "[concurrency=4] ttftMs.p95 < 800"`,
    );
  }
  const sources = [
    ...fromScenario.map((text, i) => ({ text, origin: `${file}: thresholds[${i}]` })),
    ...flags.map((text) => ({ text, origin: '--threshold' })),
  ];
  checkSelectors(
    parseThresholds(sources),
    sources.map((s) => s.origin),
    variants.map((v) => v.name),
  );
  return sources.map((s) => s.text);
}

/** One variant's numbers, from a summary or from the statistics of repeated runs. */
export interface MeasuredVariant {
  name: string;
  measure(metric: MetricInfo): { value: number | null; runs?: number; ci?: [number, number] };
  /** False when no request had server timing (the OpenAI routes): cold starts cannot be seen. */
  serverTiming?: boolean;
}

export function holds(value: number, op: ComparisonOp, limit: number): boolean {
  switch (op) {
    case '<':
      return value < limit;
    case '<=':
      return value <= limit;
    case '>':
      return value > limit;
    case '>=':
      return value >= limit;
    case '==':
      return value === limit;
  }
}

export function evaluateThresholds(
  thresholds: readonly Threshold[],
  variants: readonly MeasuredVariant[],
): ThresholdResult[] {
  const results: ThresholdResult[] = [];
  for (const t of thresholds) {
    for (const variant of variants) {
      if (!selects(t.selector, variant.name)) continue;
      const { value, runs, ci } = variant.measure(t.metric);
      const base = {
        expression: t.text,
        variant: variant.name,
        metric: t.metric.name,
        op: t.op,
        limit: t.limit,
        value,
      };
      const extra = { ...(runs !== undefined ? { runs } : {}), ...(ci ? { ci } : {}) };
      // Without delayTime no cold start is visible: "none seen" would pass a gate it cannot check.
      if (
        variant.serverTiming === false &&
        (t.metric.population === 'cold' || t.metric.name.startsWith('coldStarts.'))
      ) {
        results.push({
          ...base,
          value: null,
          passed: false,
          status: 'no-data',
          note: 'cannot be checked: no request had server timing (delayTime; the OpenAI routes report none)',
          ...extra,
        });
        continue;
      }
      if (value === null) {
        const note = t.metric.emptyPasses
          ? 'no cold start, nothing to check'
          : t.metric.population === 'warm'
            ? `no request known warm for ${t.metric.name} (every request was a cold start, or the server reported no delayTime)`
            : `nothing measured for ${t.metric.name}`;
        results.push({ ...base, passed: t.metric.emptyPasses, status: 'no-data', note, ...extra });
      } else {
        const passed = holds(value, t.op, t.limit);
        results.push({ ...base, passed, status: passed ? 'pass' : 'fail', ...extra });
      }
    }
  }
  return results;
}

export function summaryVariants(summary: Pick<RunSummary, 'variants'>): MeasuredVariant[] {
  return summary.variants.map((v) => ({
    name: v.name,
    measure: (metric) => ({ value: metricValue(v, metric) }),
    serverTiming: v.counts.ok === 0 || v.coldStarts.share !== null,
  }));
}

/** Re-evaluates the expressions a run recorded (run.json `thresholds`) against its summary. */
export function evaluateRecorded(
  expressions: readonly string[],
  summary: Pick<RunSummary, 'variants'>,
): ThresholdResult[] {
  const thresholds = parseThresholds(expressions.map((text, i) => ({ text, origin: `run.json: thresholds[${i}]` })));
  return evaluateThresholds(thresholds, summaryVariants(summary));
}

export function failedCount(results: readonly ThresholdResult[] | undefined): number {
  return (results ?? []).filter((r) => !r.passed).length;
}
