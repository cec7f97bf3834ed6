// Statistics over runs (run-stats.ts) and the threshold results they and summaries feed.
import { describe, expect, it } from 'vitest';
import { makeRecord, makeVariantMeta } from '../../test/support/records.js';
import type { RunSummary, ThresholdResult } from '../core/summary.js';
import { summarizeRecords } from '../metrics/summarize.js';
import { runStats, statsVariants } from './run-stats.js';
import { evaluateThresholds, failedCount, parseThresholds, summaryVariants } from './thresholds.js';

function summary(runId: string, e2es: Record<string, number[]>, loads: Record<string, string> = {}): RunSummary {
  const metas = Object.keys(e2es).map((name) => makeVariantMeta({ name, load: loads[name] ?? 'x' }));
  let seq = 0;
  const records = Object.entries(e2es).flatMap(([name, values]) =>
    values.map((endMs) => makeRecord({ seq: seq++, variant: name, sentMs: 0, endMs })),
  );
  return {
    schemaVersion: 1,
    run: {
      runId,
      startedAt: `${runId}T00:00:00.000Z`,
      scenario: { name: 'nightly', sha256: 'abc' },
      variants: metas,
    } as unknown as RunSummary['run'],
    variants: summarizeRecords(records, metas),
  };
}

describe('runStats', () => {
  it("keeps the scenario, every run and each variant's load, and averages what each run measured", () => {
    const stats = runStats([
      summary('2026-11-01', { a: [100], b: [300] }, { a: 'closed loop, concurrency 1' }),
      summary('2026-11-02', { a: [200] }),
    ]);
    expect(stats.scenario).toEqual({ name: 'nightly', sha256: 'abc' });
    expect(stats.schemaVersion).toBe(1);
    expect(stats.runs).toEqual([
      { runId: '2026-11-01', startedAt: '2026-11-01T00:00:00.000Z' },
      { runId: '2026-11-02', startedAt: '2026-11-02T00:00:00.000Z' },
    ]);
    expect(stats.variants.map((v) => [v.name, v.load])).toEqual([
      ['a', 'closed loop, concurrency 1'],
      ['b', 'x'],
    ]);
    // a: 100 and 200 → mean 150 over 2 runs; b: only the first run had it.
    expect(stats.variants[0]!.metrics['e2eMs.p50']).toMatchObject({ n: 2, mean: 150 });
    expect(stats.variants[1]!.metrics['e2eMs.p50']).toMatchObject({ n: 1, mean: 300 });
  });

  it('leaves the load out when run.json did not record it', () => {
    const s = summary('r', { a: [100] });
    delete (s.run.variants[0] as { load?: string }).load;
    expect(runStats([s]).variants[0]).not.toHaveProperty('load');
  });

  it('gives statistics of every HTTP status any run saw, 0 in the runs that did not see it', () => {
    const failing = summary('r2', { a: [100] });
    failing.variants[0]!.counts.httpStatus = { '503': 2 };
    const stats = runStats([summary('r1', { a: [100] }), failing]);
    expect(stats.variants[0]!.metrics['httpStatus.503']).toMatchObject({ n: 2, mean: 1, values: [0, 2] });
    expect(stats.variants[0]!.metrics).not.toHaveProperty('httpStatus.429');
  });

  it('refuses no runs at all', () => {
    expect(() => runStats([])).toThrow('runStats: no runs');
  });

  it('checks a per-key count a run never saw as 0 over the runs', () => {
    const stats = runStats([summary('r1', { a: [100] }), summary('r2', { a: [100] })]);
    const [r] = evaluateThresholds(
      parseThresholds([{ text: 'httpStatus.503 == 0', origin: 'x' }]),
      statsVariants(stats),
    );
    expect(r).toMatchObject({ value: 0, passed: true, runs: 0 });
  });
});

describe('threshold results', () => {
  it('counts the failed ones', () => {
    const r = (passed: boolean) => ({ passed }) as ThresholdResult;
    expect(failedCount([r(true), r(false), r(true), r(false)])).toBe(2);
    expect(failedCount(undefined)).toBe(0);
  });

  it('cannot check cold starts without server timing, and says so, for counts too', () => {
    // OK requests without delayTime (the OpenAI routes): no cold start is visible.
    const s = summary('r', { a: [100, 200] });
    expect(s.variants[0]!.coldStarts.share).toBeNull();
    const results = evaluateThresholds(
      parseThresholds([
        { text: 'coldStarts.count == 0', origin: 'x' },
        { text: 'coldStarts.share <= 10%', origin: 'x' },
        { text: 'cold.ttftMs.p95 < 1s', origin: 'x' },
        { text: 'e2eMs.p50 < 1s', origin: 'x' },
      ]),
      summaryVariants(s),
    );
    expect(results.map((r) => [r.metric, r.status, r.passed])).toEqual([
      ['coldStarts.count', 'no-data', false],
      ['coldStarts.share', 'no-data', false],
      ['cold.ttftMs.p95', 'no-data', false],
      ['e2eMs.p50', 'pass', true],
    ]);
  });

  it('checks cold starts of a variant with server timing, and of one without a success', () => {
    const timed = summary('r', { a: [100] });
    const withTiming = summarizeRecords(
      [makeRecord({ seq: 0, sentMs: 0, endMs: 100, delayMs: 5, executionMs: 80, workerId: 'w' })],
      [makeVariantMeta({ name: 'a' })],
    );
    const none = summarizeRecords(
      [makeRecord({ seq: 0, outcome: 'job_failed', error: 'x' })],
      [makeVariantMeta({ name: 'a' })],
    );
    const check = (variants: RunSummary['variants']) =>
      evaluateThresholds(
        parseThresholds([{ text: 'coldStarts.count == 0', origin: 'x' }]),
        summaryVariants({ ...timed, variants }),
      )[0];
    expect(check(withTiming)).toMatchObject({ status: 'pass', value: 0 });
    expect(check(none)).toMatchObject({ status: 'pass', value: 0 });
  });
});
