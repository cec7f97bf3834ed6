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

  it('names a machine already busy before the run beside requests sent late', () => {
    const records = Array.from({ length: 20 }, (_, seq) =>
      makeRecord({ seq, scheduledMs: seq, sentMs: seq + 50, endMs: seq + 150 }),
    );
    const cpu = (loadAverage1m: number) => ({ model: 'x', cores: 2, loadAverage1m });
    const report = (loadAverage1m: number) =>
      consoleReport({
        schemaVersion: 1,
        run: {
          provenance: { overrides: [], node: 'v20', os: 'linux', cpu: cpu(loadAverage1m) },
        } as unknown as RunSummary['run'],
        variants: summarizeRecords(records, [makeVariantMeta({})]),
      });
    expect(report(0.5)).toMatch(/warning: default: requests went out late \(send lag p99 50 ms/);
    expect(report(0.5)).not.toContain('busy before');
    expect(report(4.2)).toMatch(
      /intended send time\. The machine was busy before the run started \(load average 4\.2 on 2 cores\)/,
    );
  });

  it('warns when ok requests came back without a token count, and not when every one had one', () => {
    const meta = [makeVariantMeta({})];
    const counted = makeRecord({ outputTokens: 5, tokenSource: 'usage' });
    const uncounted = makeRecord({ seq: 1, outputTokens: undefined, tokenSource: 'none' });
    const failed = makeRecord({ seq: 2, outcome: 'http_error', tokenSource: 'none' });
    const report = (records: ReturnType<typeof makeRecord>[]) =>
      consoleReport({ schemaVersion: 1, run: {} as RunSummary['run'], variants: summarizeRecords(records, meta) });
    expect(report([counted, uncounted, failed])).toMatch(
      /warning: default: 1 of 2 ok requests came back without an output token count .*set input\.tokenizer/,
    );
    // A failed request has no count, and needs none.
    expect(report([counted, failed])).not.toContain('token count');
  });

  it('names what failed most often, with its text, when requests failed', () => {
    const meta = [makeVariantMeta({})];
    const report = (records: ReturnType<typeof makeRecord>[]) =>
      consoleReport({ schemaVersion: 1, run: {} as RunSummary['run'], variants: summarizeRecords(records, meta) });
    const refused = (seq: number) =>
      makeRecord({ seq, outcome: 'network_error', error: 'connect ECONNREFUSED 127.0.0.1:18779' });
    const records = [
      makeRecord({ seq: 0 }),
      refused(1),
      refused(2),
      makeRecord({ seq: 3, outcome: 'http_error', httpStatus: 500, error: 'HTTP 500' }),
      makeRecord({ seq: 4, outcome: 'aborted', error: 'the run stopped' }),
    ];
    expect(report(records)).toMatch(
      /note: default: 3 of 5 requests failed, most often network_error \(2\): connect ECONNREFUSED 127\.0\.0\.1:18779/,
    );
    expect(report([makeRecord({ seq: 0 }), records[4] as ReturnType<typeof makeRecord>])).not.toContain('failed');
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

describe('goodput lines', () => {
  it('give each figure its 95% interval when the summary has one, and none when it does not', async () => {
    const { goodputLines } = await import('./console-report.js');
    const [variant] = summarizeRecords([makeRecord({ seq: 0 })], [makeVariantMeta()]);
    const v = {
      ...variant,
      name: 'a',
      goodput: {
        slo: ['e2e <= 2s'],
        met: 30,
        share: 0.75,
        requestsPerSec: 12.345,
        outputTokensPerSec: 100,
        interval95: { requestsPerSec: [11.5, 13.25], share: [0.6, 0.85] },
      },
    } as unknown as NonNullable<typeof variant>;
    expect(goodputLines([v])).toEqual([
      'goodput (requests meeting e2e <= 2s; 95% intervals in brackets):',
      '  a: 12.35 [11.50-13.25] req/s, 100.00 out tok/s, 75.0% [60.0%-85.0%] met (30 requests)',
    ]);
  });
});
