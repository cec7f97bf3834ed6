// What a terminal shows of a finished run, the same after `podbench run` and `podbench
// report`: the table, send-lag warnings, thresholds and findings.
import { thresholdLines } from '../checks/render-console.js';
import { failedCount } from '../checks/thresholds.js';
import type { RunSummary } from '../core/summary.js';
import { findingLines } from './findings.js';
import { notMeasuredLines } from './not-measured-text.js';
import { consoleTable } from './summary-table.js';

export function consoleReport(summary: RunSummary): string {
  const out = [consoleTable(summary)];
  for (const v of summary.variants) {
    if (v.sendLag.behind) {
      out.push(
        `warning: ${v.name}: requests went out late (send lag p99 ${Math.round(v.metrics.sendLagMs.p99 ?? 0)} ms, ${Math.round((v.sendLag.lateOver1msShare ?? 0) * 100)}% over 1 ms): podbench could not keep up (or load.maxInFlight held them back); e2eFromScheduledMs holds the latency from the intended send time`,
      );
    }
  }
  for (const v of summary.variants) {
    const loop = v.clientLoopDelay;
    if (loop?.busy) {
      out.push(
        `warning: ${v.name}: podbench's own event loop ran late (p99 ${loop.ms.p99} ms, max ${loop.ms.max} ms): answers that arrived together were time-stamped up to that late, so TTFT and E2E include up to that much of podbench's delay. Give one podbench process less concurrent load, or split it across processes or machines (podbench k6 export --instances N).`,
      );
    }
  }
  for (const v of summary.variants) for (const line of notMeasuredLines(v)) out.push(`note: ${line}`);
  if (summary.thresholds) out.push('', thresholdLines(summary.thresholds));
  if (summary.findings && summary.findings.length > 0) out.push('', findingLines(summary.findings));
  return out.join('\n');
}

/** Did any threshold of this run fail? (exit code 1) */
export function thresholdsFailed(summary: RunSummary): boolean {
  return failedCount(summary.thresholds) > 0;
}
