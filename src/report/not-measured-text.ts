// Why a metric has no samples on this target (VariantSummary.notMeasured), in words: shown
// under the console table and beside the report's tables instead of an unexplained blank.
import type { MetricName, NotMeasuredReason, VariantSummary } from '../core/summary.js';

const REASONS: Record<NotMeasuredReason, string> = {
  'whole-answer':
    "the stream came in one piece once the job had ended (Runpod's local test server runs the job inside /stream), so no token arrived on its own",
  'no-server-timing': 'this target reports no delayTime or executionTime (it has no queue)',
};

/** One line per reason: "<variant>: not measured: ttftMs, tpotMs (...why)". */
export function notMeasuredLines(variant: VariantSummary): string[] {
  const byReason = new Map<NotMeasuredReason, MetricName[]>();
  for (const [metric, reason] of Object.entries(variant.notMeasured ?? {}) as Array<[MetricName, NotMeasuredReason]>) {
    byReason.set(reason, [...(byReason.get(reason) ?? []), metric]);
  }
  return [...byReason].map(
    ([reason, metrics]) => `${variant.name}: not measured: ${metrics.join(', ')}: ${REASONS[reason]}`,
  );
}
