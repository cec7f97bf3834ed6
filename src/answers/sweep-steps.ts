// A capacity sweep's steps as the search sees them: each variant's level, whether its SLOs
// held (in the thresholds' language, src/checks) and what it achieved.
import { measuredText } from '../checks/report.js';
import { evaluateRecorded } from '../checks/thresholds.js';
import type { VariantSummary } from '../core/summary.js';
import type { StepResult } from './capacity-search.js';

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
    throughput: summary.throughput.requestsPerSec ?? 0,
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
