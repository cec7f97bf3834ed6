// The threshold language: what parses to what, and what a bad expression says and points at.
import { describe, expect, it } from 'vitest';
import { summarizeRecords } from '../../src/metrics/summarize.js';
import { lookupMetric, metricValue } from '../../src/checks/metrics.js';
import { formatSyntaxProblem, parseThreshold, selects, type Threshold } from '../../src/checks/threshold-parse.js';
import { makeRecord, makeVariantMeta } from '../support/records.js';

function ok(text: string): Threshold {
  const parsed = parseThreshold(text);
  if (!parsed.ok) throw new Error(`${text}: ${parsed.problem.message}`);
  return parsed.threshold;
}

function problem(text: string) {
  const parsed = parseThreshold(text);
  if (parsed.ok) throw new Error(`${text} parsed`);
  return { ...parsed.problem, marked: text.slice(parsed.problem.at, parsed.problem.at + parsed.problem.length) };
}

describe('parseThreshold', () => {
  it('reads the examples of the issue into a typed AST', () => {
    expect(ok('ttftMs.p95 < 800')).toMatchObject({
      metric: { name: 'ttftMs.p95', base: 'ttftMs', stat: 'p95', population: 'all', unit: 'ms' },
      op: '<',
      limit: 800,
    });
    expect(ok('errorRate < 0.01')).toMatchObject({
      metric: { name: 'errorRate', unit: 'share' },
      op: '<',
      limit: 0.01,
    });
    expect(ok('outputTokensPerSec > 300')).toMatchObject({
      metric: { name: 'outputTokensPerSec', better: 'higher' },
      op: '>',
      limit: 300,
    });
    expect(ok('coldStarts.delayMs.p90 < 20000')).toMatchObject({
      metric: { path: ['coldStarts', 'delayMs', 'cold', 'p90'], population: 'cold' },
      limit: 20_000,
    });
    expect(ok('warm.ttftMs.p95 < 500')).toMatchObject({
      metric: { name: 'warm.ttftMs.p95', population: 'warm', path: ['warm', 'metrics', 'ttftMs', 'p95'] },
    });
  });

  it('converts units to the metric unit and accepts every operator', () => {
    expect(ok('e2eMs.p99 <= 2s').limit).toBe(2000);
    expect(ok('e2eMs.p99 < 1.5m').limit).toBe(90_000);
    expect(ok('e2eMs.p99 < 800ms').limit).toBe(800);
    expect(ok('e2eMs.p99 < 800 ms').limit).toBe(800);
    expect(ok('errorRate <= 1%').limit).toBeCloseTo(0.01, 15);
    expect(ok('failed == 0')).toMatchObject({ op: '==', limit: 0 });
    expect(ok('requestsPerSec>=2.5')).toMatchObject({ op: '>=', limit: 2.5 });
    expect(ok('  tpotMs.mean > 1e1  ')).toMatchObject({ text: 'tpotMs.mean > 1e1', op: '>', limit: 10 });
  });

  it('takes full summary.json paths as aliases of the short names', () => {
    expect(ok('metrics.ttftMs.p95 < 1').metric.name).toBe('ttftMs.p95');
    expect(ok('counts.errorRate < 1').metric.name).toBe('errorRate');
    expect(ok('throughput.outputTokensPerSec > 1').metric.name).toBe('outputTokensPerSec');
    expect(ok('coldStarts.delayMs.cold.p98 < 1').metric.name).toBe('coldStarts.delayMs.p98');
    expect(ok('warm.metrics.e2eMs.p50 < 1').metric.name).toBe('warm.e2eMs.p50');
  });

  it('scopes a threshold to variants by name parts or the whole name', () => {
    const t = ok('[concurrency=4] ttftMs.p95 < 800');
    expect(t.selector).toEqual({ text: 'concurrency=4', parts: ['concurrency=4'] });
    expect(selects(t.selector, 'concurrency=4 max_batch_size=10')).toBe(true);
    expect(selects(t.selector, 'concurrency=40 max_batch_size=10')).toBe(false);
    const both = ok('[max_batch_size=10 concurrency=4] ttftMs.p95 < 800');
    expect(selects(both.selector, 'concurrency=4 max_batch_size=10')).toBe(true);
    expect(selects(both.selector, 'concurrency=4 max_batch_size=50')).toBe(false);
    expect(selects(undefined, 'anything')).toBe(true);
  });

  it('points at the offending token with a clear message', () => {
    expect(problem('ttftMs.p96 < 800')).toMatchObject({
      marked: 'p96',
      message: expect.stringContaining(
        'unknown statistic "p96" of ttftMs; it has count, mean, min, p50, p90, p95, p99, max',
      ),
    });
    expect(problem('ttfMs.p95 < 800')).toMatchObject({
      marked: 'ttfMs.p95',
      message: 'unknown metric "ttfMs.p95"; did you mean ttftMs.p95?',
    });
    expect(problem('ttftMs < 800')).toMatchObject({
      marked: 'ttftMs',
      message: expect.stringContaining('ttftMs is a distribution: name a statistic, e.g. ttftMs.p95'),
    });
    expect(problem('nonsense.metric.here < 1').message).toContain('unknown metric "nonsense.metric.here"');
    expect(problem('ttftMs.p95 = 800')).toMatchObject({ marked: '=', message: 'write == to compare for equality' });
    expect(problem('ttftMs.p95 800')).toMatchObject({
      marked: '800',
      message: 'expected a comparison (<, <=, >, >= or ==) after ttftMs.p95, got "800"',
    });
    expect(problem('ttftMs.p95 <')).toMatchObject({ marked: '<', message: 'expected a number after "<"' });
    expect(problem('ttftMs.p95 < fast')).toMatchObject({
      marked: 'fast',
      message: 'expected a number after "<", got "fast"',
    });
    expect(problem('ttftMs.p95 < 800%')).toMatchObject({
      marked: '%',
      message: expect.stringContaining('ttftMs.p95 is a duration (800, 800ms, 2s): the unit "%" does not fit it'),
    });
    expect(problem('errorRate < 2s')).toMatchObject({
      marked: 's',
      message: expect.stringContaining('errorRate is a share (0.01 or 1%)'),
    });
    expect(problem('ttftMs.p95 < 800 and more')).toMatchObject({
      marked: 'and more',
      message: expect.stringContaining('unexpected "and more" after the limit'),
    });
    expect(problem('[concurrency=4 ttftMs.p95 < 800')).toMatchObject({
      at: 0,
      message: expect.stringContaining('never closed'),
    });
    expect(problem('[] ttftMs.p95 < 800').message).toContain('empty variant selector');
    expect(problem('   ').message).toContain('empty threshold');
    expect(problem('< 800').message).toContain('expected a metric name');
  });

  it('formats a problem as the message plus a caret line under the token', () => {
    const text = 'ttftMs.p96 < 800';
    const parsed = parseThreshold(text);
    if (parsed.ok) throw new Error('parsed');
    expect(formatSyntaxProblem('--threshold', text, parsed.problem)).toBe(
      '--threshold "ttftMs.p96 < 800": unknown statistic "p96" of ttftMs; it has count, mean, min, p50, p90, p95, p99, max\n  ttftMs.p96 < 800\n         ^^^',
    );
  });
});

/** Every numeric leaf of a value, as dotted paths. */
function numericLeaves(value: unknown, prefix = ''): string[] {
  if (typeof value === 'number') return [prefix];
  if (value === null && prefix !== '') return [prefix];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([k, v]) => numericLeaves(v, prefix ? `${prefix}.${k}` : k));
}

describe('metric names', () => {
  it('count keys a summary lacks as zero', () => {
    const [variant] = summarizeRecords([makeRecord()], [makeVariantMeta()]);
    expect(metricValue(variant!, lookupMetric('byOutcome.client_timeout')!)).toBe(0);
    expect(metricValue(variant!, lookupMetric('httpStatus.503')!)).toBe(0);
    expect(metricValue(variant!, lookupMetric('counts.byOutcome.ok')!)).toBe(1);
    expect(lookupMetric('httpStatus.42')).toBeUndefined();
    expect(ok('httpStatus.429 == 0').metric).toMatchObject({ name: 'httpStatus.429', better: 'lower' });
  });

  it('address every number a variant summary holds', () => {
    const records = [
      makeRecord({
        seq: 0,
        mode: 'stream',
        sentMs: 0,
        firstTokenMs: 50,
        lastTokenMs: 90,
        endMs: 100,
        delayMs: 10,
        executionMs: 80,
        workerId: 'w',
        workerFormat: 'legacy',
        chunks: [
          [50, 1],
          [90, 4],
        ],
        outputTokens: 5,
        promptTokens: 9,
        ttftUncertaintyMs: 3,
      }),
      makeRecord({
        seq: 1,
        mode: 'stream',
        outcome: 'http_error',
        httpStatus: 429,
        sentMs: 0,
        endMs: 5,
        tokenSource: 'none',
      }),
    ];
    const [variant] = summarizeRecords(records, [makeVariantMeta({ mode: 'stream' })]);
    const leaves = numericLeaves(variant).filter((p) => !p.startsWith('params.'));
    expect(leaves).toContain('counts.httpStatus.429');
    expect(leaves).toContain('counts.byOutcome.http_error');
    expect(leaves.length).toBeGreaterThan(300);
    const missing = leaves.filter((p) => !lookupMetric(p));
    expect(missing).toEqual([]);
    for (const path of leaves) {
      const metric = lookupMetric(path)!;
      const direct = path.split('.').reduce<unknown>((at, k) => (at as Record<string, unknown>)[k], variant);
      expect(metricValue(variant!, metric), path).toBe(direct ?? null);
    }
  });
});
