// The check report's headline and value texts (report.ts).
import { describe, expect, it } from 'vitest';
import type { ThresholdResult } from '../core/summary.js';
import { changeText, checkFailures, headline, measuredText, thresholdVerdict, unitOfMetric } from './report.js';
import type { Comparison, ComparisonRow } from './compare.js';
import { renderConsole } from './render-console.js';
import { renderMarkdown } from './render-markdown.js';

const result = (passed: boolean): ThresholdResult => ({
  expression: 'e2eMs.p95 < 1s',
  metric: 'e2eMs.p95',
  op: '<',
  limit: 1000,
  value: passed ? 900 : 1100,
  passed,
  status: passed ? 'pass' : 'fail',
});
const comparison = (regressions: number, rows: number): Comparison =>
  ({ regressions, rows: Array.from({ length: rows }, () => ({})) }) as unknown as Comparison;

describe('headline', () => {
  it('counts failed thresholds and regressions', () => {
    expect(thresholdVerdict(0, 1)).toBe('the threshold passed');
    expect(thresholdVerdict(1, 1)).toBe('the threshold failed');
    expect(thresholdVerdict(0, 3)).toBe('all 3 thresholds passed');
    expect(thresholdVerdict(2, 3)).toBe('2 of 3 thresholds failed');
    const report = { scenario: 's', subject: 'r', thresholds: [result(true), result(false), result(false)] };
    expect(headline(report)).toBe('2 of 3 thresholds failed');
    expect(headline({ ...report, thresholds: [], comparison: comparison(0, 12) })).toBe(
      'no regression in 12 comparisons',
    );
    expect(headline({ ...report, thresholds: [], comparison: comparison(1, 12) })).toBe(
      '1 regression in 12 comparisons',
    );
    expect(headline({ ...report, comparison: comparison(2, 12) })).toBe(
      '2 of 3 thresholds failed; 2 regressions in 12 comparisons',
    );
    expect(checkFailures({ ...report, comparison: comparison(2, 12) })).toBe(4);
  });

  it('does not count rows marked n/a as comparisons that passed', () => {
    const rows = [
      ...Array.from({ length: 9 }, () => ({ verdict: 'ok' })),
      ...Array.from({ length: 3 }, () => ({ verdict: 'n/a' })),
    ];
    const mixed = { regressions: 0, rows } as unknown as Comparison;
    expect(headline({ scenario: 's', subject: 'r', thresholds: [], comparison: mixed })).toBe(
      'no regression in 9 of 12 comparisons (3 could not be judged)',
    );
    expect(headline({ scenario: 's', subject: 'r', thresholds: [], comparison: { ...mixed, regressions: 1 } })).toBe(
      '1 regression in 9 of 12 comparisons (3 could not be judged)',
    );
  });
});

describe('a comparison where nothing could be judged', () => {
  const na = (metric: string): ComparisonRow =>
    ({
      variant: 'default',
      metric,
      unit: 'ms',
      baseline: { mean: 3324 },
      current: { mean: 3324 },
      change: 0,
      changeRatio: 0,
      band: '±10%',
      method: 'bootstrap',
      verdict: 'n/a',
      reason: 'too few requests to tell a change from noise: baseline: 6 values; an interval of p99 needs 200',
    }) as unknown as ComparisonRow;
  const report = (rows: ComparisonRow[]) => ({
    scenario: 'quick',
    subject: 'r',
    thresholds: [],
    comparison: {
      regressions: 0,
      rows,
      notes: [],
      baseline: { label: 'b.json', runs: 1, runIds: [] },
      current: { label: 'r', runs: 1, runIds: [] },
    } as unknown as Comparison,
  });

  it('says so instead of "no regression", with each reason', () => {
    expect(headline(report([na('ttftMs.p99')]))).toBe('nothing could be compared: the comparison is n/a');
    expect(headline(report([na('ttftMs.p99'), na('e2eMs.p99')]))).toBe(
      'nothing could be compared: all 2 comparisons are n/a',
    );
    expect(headline(report([]))).toBe('nothing could be compared: no metric in common');
    expect(checkFailures(report([na('ttftMs.p99')]))).toBe(0);
    expect(renderConsole(report([na('ttftMs.p99')]))).toContain(
      '\nn/a: default: ttftMs.p99: too few requests to tell a change from noise',
    );
    const markdown = renderMarkdown(report([na('ttftMs.p99')]));
    expect(markdown).toMatch(/^### ⚠️ podbench checks: quick/);
    expect(markdown).toContain('**Not compared**');
  });

  it('counts one comparison in the singular', () => {
    expect(headline({ scenario: 's', subject: 'r', thresholds: [], comparison: comparison(0, 1) })).toBe(
      'no regression in 1 comparison',
    );
  });
});

describe('values', () => {
  it('prints a measured value, over repeats with its runs', () => {
    expect(measuredText(result(true))).toBe('900 ms');
    expect(measuredText({ ...result(true), runs: 1 })).toBe('900 ms (1 run)');
    expect(measuredText({ ...result(true), runs: 3, ci: [880, 920] })).toBe('900 ms (95% CI 880 ms … 920 ms, 3 runs)');
    expect(unitOfMetric('no.such.metric')).toBe('count');
  });

  it('prints a change with its ratio, a share in points alone, and a dash for none', () => {
    const row = { change: 100, changeRatio: 0.1, unit: 'ms' } as ComparisonRow;
    expect(changeText(row)).toBe('+100 ms (+10%)');
    expect(changeText({ ...row, changeRatio: null })).toBe('+100 ms');
    expect(changeText({ ...row, change: 0.02, changeRatio: 1, unit: 'share' })).toBe('+2 pp');
    expect(changeText({ ...row, change: null, changeRatio: null })).toBe('–');
  });
});
