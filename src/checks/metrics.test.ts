// Metric names and values (metrics.ts): open-ended HTTP status counts, values along a summary
// path that is missing or not a number, and which names are distributions.
import { describe, expect, it } from 'vitest';
import { makeRecord, makeVariantMeta } from '../../test/support/records.js';
import type { VariantSummary } from '../core/summary.js';
import { summarizeRecords } from '../metrics/summarize.js';
import { COLD_STATS, DIST_STATS, lookupMetric, metricValue, statsOf } from './metrics.js';

const variant = (): VariantSummary =>
  summarizeRecords(
    [
      makeRecord({ seq: 0, endMs: 100 }),
      makeRecord({ seq: 1, outcome: 'http_error', httpStatus: 503, error: 'HTTP 503' }),
    ],
    [makeVariantMeta()],
  )[0]!;

describe('lookupMetric', () => {
  it('names any three-digit HTTP status, with or without counts., and nothing else', () => {
    expect(lookupMetric('httpStatus.503')).toMatchObject({
      name: 'httpStatus.503',
      path: ['counts', 'httpStatus', '503'],
      better: 'lower',
      emptyPasses: false,
      absentIsZero: true,
    });
    expect(lookupMetric('counts.httpStatus.429')?.name).toBe('httpStatus.429');
    expect(lookupMetric('httpStatus.5031')).toBeUndefined();
    expect(lookupMetric('xhttpStatus.503')).toBeUndefined();
    expect(lookupMetric('httpStatus.603')).toBeUndefined();
  });
});

describe('metricValue', () => {
  it('reads the value along the path; a count per key the summary lacks is 0', () => {
    const v = variant();
    expect(metricValue(v, lookupMetric('httpStatus.503')!)).toBe(1);
    expect(metricValue(v, lookupMetric('httpStatus.429')!)).toBe(0);
    expect(metricValue(v, lookupMetric('byOutcome.client_timeout')!)).toBe(0);
    expect(metricValue(v, lookupMetric('e2eMs.p50')!)).toBe(100);
    // Counts by token source name every source, the tokenizer's included.
    expect(metricValue({ ...v, tokenSources: { tokenizer: 3 } }, lookupMetric('tokenSources.tokenizer')!)).toBe(3);
    expect(metricValue(v, lookupMetric('tokenSources.tokenizer')!)).toBe(0);
  });

  it('is null where the summary has no number: a missing section, null, a non-finite value', () => {
    const v = variant();
    // A summary that predates the warm split: the path stops at a missing object.
    const old = { ...v, warm: undefined } as unknown as VariantSummary;
    expect(metricValue(old, lookupMetric('warm.e2eMs.p50')!)).toBeNull();
    // Through null (no cold request: the cold distribution's p50 is null).
    expect(metricValue(v, lookupMetric('coldStarts.delayMs.p50')!)).toBeNull();
    const nullSection = { ...v, coldStarts: null } as unknown as VariantSummary;
    expect(metricValue(nullSection, lookupMetric('coldStarts.delayMs.p50')!)).toBeNull();
    expect(metricValue(nullSection, lookupMetric('coldStarts.count')!)).toBeNull();
    const nan = { ...v, throughput: { ...v.throughput, requestsPerSec: Number.NaN } };
    expect(metricValue(nan, lookupMetric('requestsPerSec')!)).toBeNull();
    const text = { ...v, throughput: { ...v.throughput, requestsPerSec: '3' } } as unknown as VariantSummary;
    expect(metricValue(text, lookupMetric('requestsPerSec')!)).toBeNull();
    // A count per key under a missing map is 0, under null it is not measured.
    const noMap = { ...v, counts: { ...v.counts, httpStatus: undefined } } as unknown as VariantSummary;
    expect(metricValue(noMap, lookupMetric('httpStatus.503')!)).toBe(0);
  });
});

describe('statsOf', () => {
  it('knows the cold-start delay and every distribution, under warm./cold./metrics. prefixes', () => {
    expect(statsOf('coldStarts.delayMs')).toBe(COLD_STATS);
    expect(statsOf('coldStarts.delayMs.cold')).toBe(COLD_STATS);
    expect(statsOf('coldStarts.delayMs.warm')).toBe(COLD_STATS);
    for (const name of ['ttftMs', 'warm.ttftMs', 'cold.e2eMs', 'metrics.ttftMs', 'warm.metrics.ttftMs']) {
      expect(statsOf(name), name).toBe(DIST_STATS);
    }
    for (const name of ['errorRate', 'xwarm.ttftMs', 'hot.ttftMs', 'warm.metricsx.ttftMs', 'ttftMs.p95']) {
      expect(statsOf(name), name).toBeUndefined();
    }
  });
});
