// A capacity sweep's steps as the search sees them: each variant's level, whether its SLOs
// held (in the thresholds' language, src/checks) and what it achieved.
import { measuredText } from '../checks/report.js';
import { evaluateRecorded } from '../checks/thresholds.js';
import type { VariantSummary } from '../core/summary.js';
import type { StepResult } from './capacity-search.js';

/** A step's throughput as the search and its answer read it: the steady figure when the step had one. */
export function stepThroughput(summary: VariantSummary): {
  requestsPerSec: number;
  outputTokensPerSec: number;
  interval: { low: number; high: number } | null;
} {
  const steady = summary.throughput.steady;
  if (steady)
    return {
      requestsPerSec: steady.requestsPerSec,
      outputTokensPerSec: steady.outputTokensPerSec,
      interval: steady.interval,
    };
  return {
    requestsPerSec: summary.throughput.requestsPerSec ?? 0,
    outputTokensPerSec: summary.throughput.outputTokensPerSec ?? 0,
    interval: null,
  };
}

/** What a sweep step measured, for the search. */
export function stepResult(level: number, summary: VariantSummary, slo: readonly string[]): StepResult {
  const results = evaluateRecorded(slo, { variants: [summary] });
  return {
    level,
    sloMet: results.every((r) => r.passed),
    violations: results
      .filter((r) => !r.passed)
      .map((r) => `${r.expression} broken (${r.value === null ? 'not measured' : `measured ${measuredText(r)}`})`),
    errorRate: summary.counts.errorRate ?? 1,
    // The steady figure leaves the step's ramp-up and drain out (src/metrics/steady-throughput.ts).
    throughput: stepThroughput(summary).requestsPerSec,
    throughputInterval: stepThroughput(summary).interval,
    requests: summary.counts.scheduled,
  };
}

/** Every variant of a sweep run, in run order, as steps (variants without the swept field are skipped). */
export function sweepSteps(
  field: string,
  variants: readonly VariantSummary[],
  slo: readonly string[],
): Array<{ step: StepResult; variant: VariantSummary }> {
  return variants.flatMap((variant) => {
    const level = variant.params[field];
    return typeof level === 'number' ? [{ step: stepResult(level, variant, slo), variant }] : [];
  });
}
