// The data report.html embeds: golden files for a fixed run (regenerate with
// UPDATE_GOLDEN=1 npx vitest run test/report-html), and the rules each view follows.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { distribution } from '../../src/metrics/percentiles.js';
import { CDF_GRID } from '../../src/report/html/cdf.js';
import { createReportCollector } from '../../src/report/html/collect.js';
import { numericAxis } from '../../src/report/html/numeric-axis.js';
import type { ReportData } from '../../src/report/html/types.js';
import type { VariantSummary } from '../../src/core/summary.js';
import { expectGolden as expectGoldenFile } from '../support/golden.js';
import { makeRecord } from '../support/records.js';
import { buildPageData, smallRun } from './fixture.js';

const GOLDEN = fileURLToPath(new URL('./golden/', import.meta.url));

function expectGolden(name: string, value: unknown): void {
  expectGoldenFile(GOLDEN, name, `${JSON.stringify(value, null, 1)}\n`, 'test/report-html');
}

const run = smallRun();
const small = () => buildPageData({ meta: run.meta, records: () => run.records, health: run.health });

describe('report page data', () => {
  it('matches the golden file for a small run', () => {
    expectGolden('small-run.json', small().data);
  });

  it('matches the golden file when every view is sampled down (tiny limits)', () => {
    const limits = { cdfSample: 5, windowSample: 2, maxWindows: 10, timelineBars: 6, coldPoints: 1, warmPoints: 3 };
    const { data } = buildPageData({ meta: run.meta, records: () => run.records, health: run.health }, limits);
    expect(data.timeline.bars).toHaveLength(6);
    expect(data.downsampled.length).toBeGreaterThan(2);
    expectGolden('small-run-sampled.json', data);
  });

  it('gives the same quantiles as summary.json when nothing was sampled', () => {
    const { data, summary } = small();
    const at = (p: number) => CDF_GRID.indexOf(p);
    summary.variants.forEach((v, i) => {
      const cdf = data.distributions.e2eMs[i]!;
      expect(cdf.sampled).toBe(cdf.count);
      expect(cdf.count).toBe(v.metrics.e2eMs.count);
      for (const p of [0.5, 0.9, 0.95, 0.99] as const) {
        const key = `p${Math.round(p * 100)}` as 'p50' | 'p90' | 'p95' | 'p99';
        expect(cdf.valuesAtGrid[at(p)]).toBeCloseTo(v.metrics.e2eMs[key] as number, 3);
      }
    });
  });

  it('lines variants up along the one numeric parameter they differ in', () => {
    const axis = small().data.numericAxis!;
    expect(axis.param).toBe('load.concurrency');
    expect(axis.values).toEqual([1, 4]);
    expect(axis.lines.map((l) => `${l.metric}.${l.percentile}`)).toEqual([
      'ttftMs.p50',
      'ttftMs.p90',
      'ttftMs.p95',
      'ttftMs.p99',
      'e2eMs.p50',
      'e2eMs.p90',
      'e2eMs.p95',
      'e2eMs.p99',
      'tpotMs.p50',
      'tpotMs.p90',
      'tpotMs.p95',
      'tpotMs.p99',
    ]);
  });

  it("plots one point per value: a sweep's rerun with more requests stands for the step it replaced", () => {
    const { summary } = small();
    const [one, four] = summary.variants as [VariantSummary, VariantSummary];
    const rerun: VariantSummary = {
      ...one,
      name: `${one.name} n=32`,
      counts: { ...one.counts, sent: one.counts.sent * 2 },
      metrics: { ...one.metrics, e2eMs: { ...one.metrics.e2eMs, p50: 1 } },
    };
    for (const variants of [
      [one, rerun, four],
      [rerun, one, four],
    ]) {
      const axis = numericAxis(variants)!;
      expect(axis.values).toEqual([1, 4]);
      expect(axis.variantIndex.map((i) => variants[i]!.name)).toEqual([rerun.name, four.name]);
      expect(axis.lines.find((l) => l.metric === 'e2eMs' && l.percentile === 'p50')!.values[0]).toBe(1);
      expect(axis.superseded).toEqual([{ name: one.name, by: rerun.name }]);
    }
    expect(numericAxis([one, four])!.superseded).toEqual([]);
  });

  it('marks the cold starts the summarizer classified, warmup included', () => {
    const { data } = small();
    expect(data.coldStarts.map((c) => c.cold.map(([, delayMs]) => delayMs))).toEqual([[2600], [3100]]);
    const flagged = data.timeline.bars.filter((b) => b[5] & 4).map((b) => b[1]);
    expect(flagged).toHaveLength(2);
  });

  it('draws the same page in the summarizer pass, the cold-start verdicts given at finish', () => {
    const { data, summary } = small();
    const collector = createReportCollector({
      variants: run.meta.variants.map((v) => v.name),
      spanMs: Math.max(run.meta.durationMs ?? 0, ...run.records.map((r) => r.endMs)),
      seed: run.meta.seed,
      // Only jobs that waited at least the rule's threshold may be cold: those wait for the verdicts.
      mayBeCold: (r) => (r.delayMs ?? 0) >= 1000,
    });
    for (const r of run.records) collector.addRecord(r);
    for (const line of run.health) collector.addHealth(line);
    const coldSeqs = new Set(
      run.records.filter((r) => data.timeline.bars.some((b) => b[5] & 4 && b[1] === r.scheduledMs)).map((r) => r.seq),
    );
    expect(coldSeqs.size).toBe(2);
    expect(collector.finish(summary.variants, coldSeqs)).toEqual(data);
  });

  it('keeps /health fields that moved and counts failed samples', () => {
    const health = small().data.health!;
    expect(health.failedSamples).toBe(1);
    expect(health.series.map((s) => s.name)).toEqual([
      'workers.running',
      'workers.initializing',
      'jobs.inQueue',
      'jobs.inProgress',
    ]);
  });

  it('has no health series, and says nothing was downsampled, when neither applies', () => {
    const { data } = buildPageData({ meta: run.meta, records: () => run.records });
    expect(data.health).toBeNull();
    expect(data.downsampled).toEqual([]);
  });
});

describe('time series', () => {
  const meta = { variants: ['v'], coldSeqs: new Set<number>(), seed: 1 };
  const finish = (
    records: Parameters<ReturnType<typeof createReportCollector>['addRecord']>[0][],
    spanMs: number,
  ): ReportData => {
    // At most 4 windows: 1 s wide for spans from 2 to 4 s.
    const c = createReportCollector({ ...meta, spanMs, limits: { maxWindows: 4 } });
    for (const r of records) c.addRecord(r);
    return c.finish([]);
  };

  it('weights requests in flight by the time they cover in each window', () => {
    // 1 s windows over 4 s; one request from 0.5 s to 3.25 s.
    const data = finish([makeRecord({ variant: 'v', scheduledMs: 500, sentMs: 500, endMs: 3250 })], 4000);
    expect(data.overTime.windowMs).toBe(1000);
    expect(data.overTime.inFlight[0]).toEqual([0.5, 1, 1, 0.25]);
    expect(data.overTime.completionsPerSec[0]).toEqual([0, 0, 0, 1]);
  });

  it("leaves windows outside a variant's active span empty and rates the short last window by its length", () => {
    const data = finish(
      [makeRecord({ variant: 'v', scheduledMs: 2100, sentMs: 2100, endMs: 2300, outputTokens: 10 })],
      2500,
    );
    expect(data.overTime.startMs).toEqual([0, 1000, 2000]);
    expect(data.overTime.completionsPerSec[0]).toEqual([null, null, 2]); // 1 request in the last 500 ms
    expect(data.overTime.outputTokensPerSec[0]).toEqual([null, null, 20]);
  });

  it('takes the p50 per window from the requests sent in it', () => {
    const records = [100, 300, 200].map((e2e, i) =>
      makeRecord({ seq: i, variant: 'v', sentMs: i * 10, scheduledMs: i * 10, endMs: i * 10 + e2e }),
    );
    const data = finish(records, 1000);
    expect(data.overTime.e2eP50Ms[0]?.[0]).toBe(distribution([100, 300, 200]).p50);
  });
});
