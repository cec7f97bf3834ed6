import { describe, expect, it } from 'vitest';
import { makeRecord, makeVariantMeta } from '../../test/support/records.js';
import { summarizeRecords } from '../metrics/summarize.js';
import type { RunSummary } from '../core/summary.js';
import { consoleReport, thresholdsFailed } from './console-report.js';

function summary(p99: number, thresholds?: RunSummary['thresholds']): RunSummary {
  const variants = summarizeRecords(
    [makeRecord({ endMs: 12_345.6 })],
    [makeVariantMeta({ clientLoopDelayMs: { p50: 0.2, p99, max: 2 * p99 } })],
  );
  return { schemaVersion: 1, run: {} as RunSummary['run'], variants, ...(thresholds ? { thresholds } : {}) };
}

describe('consoleReport', () => {
  it("warns when podbench's own event loop was late by a meaningful share of what it measured, and not otherwise", () => {
    // The one request took 12,345.6 ms end to end: 37.8 ms is 0.3% of it, not worth a warning.
    expect(consoleReport(summary(1.5))).not.toContain('event loop');
    expect(consoleReport(summary(37.8))).not.toContain('event loop');
    expect(consoleReport(summary(1500))).toMatch(
      /\nwarning: default: podbench's own event loop ran up to 1500 ms late \(p99; 12% of the E2E p50 \(12346 ms\)\)/,
    );
    // Every warning once, after the table.
    expect(consoleReport(summary(1500), ['x', 'x']).match(/warning: x/g)).toHaveLength(1);
  });

  it('keeps every latency in ms, however long', () => {
    expect(consoleReport(summary(1))).toMatch(/12,3\d\d \/ 12,3\d\d \/ 12,3\d\d/);
  });

  it('lists thresholds, and says when one failed', () => {
    const failed = {
      expression: 'e2eMs.p50 < 1ms',
      metric: 'e2eMs.p50',
      op: '<',
      limit: 1,
      value: 5,
      passed: false,
    } as unknown as NonNullable<RunSummary['thresholds']>[number];
    const s = summary(1, [failed]);
    expect(consoleReport(s)).toMatch(/FAIL\s+e2eMs\.p50 < 1ms/);
    expect(thresholdsFailed(s)).toBe(true);
    expect(thresholdsFailed(summary(1))).toBe(false);
  });
});
