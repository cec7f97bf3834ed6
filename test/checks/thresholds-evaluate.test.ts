// Thresholds against a summary and against repeat statistics: pass, fail, no data, scoping.
import { describe, expect, it } from 'vitest';
import { runStats, statsVariants } from '../../src/checks/run-stats.js';
import {
  evaluateRecorded,
  evaluateThresholds,
  parseThresholds,
  thresholdsForRun,
} from '../../src/checks/thresholds.js';
import { UsageError } from '../../src/core/errors.js';
import type { RunSummary } from '../../src/core/summary.js';
import { summarizeRecords } from '../../src/metrics/summarize.js';
import { makeRecord, makeVariantMeta } from '../support/records.js';

function summary(variants: Record<string, number[]>): RunSummary {
  const metas = Object.keys(variants).map((name) => makeVariantMeta({ name }));
  let seq = 0;
  const records = Object.entries(variants).flatMap(([name, e2es]) =>
    e2es.map((e2e) => makeRecord({ seq: seq++, variant: name, sentMs: 0, endMs: e2e })),
  );
  return {
    schemaVersion: 1,
    run: {
      runId: 'r',
      startedAt: '2026-11-26T00:00:00.000Z',
      scenario: { name: 's', sha256: 'x' },
    } as RunSummary['run'],
    variants: summarizeRecords(records, metas),
  };
}

describe('thresholds against a summary', () => {
  const s = summary({ 'concurrency=1': [100, 200, 300], 'concurrency=4': [400, 500, 600] });

  it('checks an unscoped threshold against each variant', () => {
    const results = evaluateRecorded(['e2eMs.p50 < 450ms'], s);
    expect(results.map((r) => [r.variant, r.value, r.passed, r.status])).toEqual([
      ['concurrency=1', 200, true, 'pass'],
      ['concurrency=4', 500, false, 'fail'],
    ]);
    expect(results[0]).toMatchObject({ expression: 'e2eMs.p50 < 450ms', metric: 'e2eMs.p50', op: '<', limit: 450 });
  });

  it('checks a scoped threshold against its variants only', () => {
    const results = evaluateRecorded(['[concurrency=4] e2eMs.max <= 600', 'errorRate == 0'], s);
    expect(results.map((r) => [r.expression, r.variant, r.passed])).toEqual([
      ['[concurrency=4] e2eMs.max <= 600', 'concurrency=4', true],
      ['errorRate == 0', 'concurrency=1', true],
      ['errorRate == 0', 'concurrency=4', true],
    ]);
  });

  it('fails a threshold on a metric the run did not measure, but passes cold-start limits without cold starts', () => {
    // Server timing (delayTime) on every request, none of them cold.
    const timed: RunSummary = {
      ...summary({}),
      variants: summarizeRecords(
        [makeRecord({ delayMs: 5, executionMs: 50, endMs: 100, workerId: 'w1' })],
        [makeVariantMeta()],
      ),
    };
    const results = evaluateRecorded(['ttftMs.p95 < 1s', 'coldStarts.delayMs.p90 < 20s', 'cold.e2eMs.p95 < 1s'], timed);
    expect(results.map((r) => [r.metric, r.status, r.passed])).toEqual([
      ['ttftMs.p95', 'no-data', false],
      ['coldStarts.delayMs.p90', 'no-data', true],
      ['cold.e2eMs.p95', 'no-data', true],
    ]);
    expect(results[0]?.note).toBe('nothing measured for ttftMs.p95');
    // Without server timing (the OpenAI routes) "no cold start seen" proves nothing: the gate fails.
    const untimed = evaluateRecorded(
      ['coldStarts.delayMs.p90 < 20s', 'coldStarts.count < 1'],
      summary({ default: [100] }),
    );
    expect(untimed.map((r) => [r.metric, r.status, r.passed])).toEqual([
      ['coldStarts.delayMs.p90', 'no-data', false],
      ['coldStarts.count', 'no-data', false],
    ]);
    expect(untimed[0]?.note).toMatch(/cannot be checked: no request had server timing/);
  });

  it('checks repeats against the mean of the runs and reports the interval', () => {
    const stats = runStats([summary({ default: [100] }), summary({ default: [200] }), summary({ default: [300] })]);
    const [result] = evaluateThresholds(
      parseThresholds([{ text: 'e2eMs.p50 < 250', origin: 'x' }]),
      statsVariants(stats),
    );
    expect(result).toMatchObject({ value: 200, passed: true, runs: 3 });
    expect(result!.ci![0]).toBeCloseTo(200 - (4.3027 * 100) / Math.sqrt(3), 2);
  });
});

describe('thresholdsForRun', () => {
  const variants = [
    { name: 'concurrency=1', thresholds: ['errorRate < 1%'] },
    { name: 'concurrency=4', thresholds: ['errorRate < 1%'] },
  ];

  it("puts the scenario's thresholds before the flags'", () => {
    expect(thresholdsForRun('s.yaml', variants, ['[concurrency=4] ttftMs.p95 < 1s'])).toEqual([
      'errorRate < 1%',
      '[concurrency=4] ttftMs.p95 < 1s',
    ]);
  });

  it('names where a bad expression came from', () => {
    expect(() => thresholdsForRun('s.yaml', [{ name: 'default', thresholds: ['ttftMs.p95 < 1x'] }], [])).toThrow(
      /^s\.yaml: thresholds\[0\] "ttftMs\.p95 < 1x": unexpected "x"/,
    );
    expect(() => thresholdsForRun('s.yaml', variants, ['ttftMs.p95 <'])).toThrow(
      /^--threshold "ttftMs\.p95 <": expected a number/,
    );
  });

  it('refuses a selector that matches no variant, listing the variants', () => {
    expect(() => thresholdsForRun('s.yaml', variants, ['[concurrency=8] ttftMs.p95 < 1s'])).toThrow(
      /\[concurrency=8\] matches no variant; the variants are: "concurrency=1", "concurrency=4"/,
    );
  });

  it('refuses thresholds that differ between variants (a matrix over thresholds)', () => {
    const err = (() => {
      try {
        thresholdsForRun('s.yaml', [variants[0]!, { name: 'concurrency=4', thresholds: [] }], []);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toContain('a matrix cannot vary the thresholds');
  });
});
