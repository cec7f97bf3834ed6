// Goodput against records counted by hand, the SLO language, and the split between
// per-request SLOs (goodput) and percentile SLOs (a capacity sweep).
import { describe, expect, it } from 'vitest';
import type { RequestRecord } from '../core/record.js';
import { makeRecord, makeVariantMeta } from '../../test/support/records.js';
import { evaluateRecorded } from '../checks/thresholds.js';
import { aggregateSlos, parseRequestSlo, requestSlos } from './goodput.js';
import { summarizeRecords } from './summarize.js';

/** A streamed request: sent at `at`, first token after `ttft`, one token per `itl` after it, done at the last. */
function streamed(
  seq: number,
  at: number,
  ttft: number,
  itl: number,
  tokens: number,
  extra: Partial<RequestRecord> = {},
) {
  const first = at + ttft;
  const last = first + itl * (tokens - 1);
  return makeRecord({
    seq,
    mode: 'stream',
    scheduledMs: at,
    sentMs: at,
    firstTokenMs: first,
    lastTokenMs: last,
    endMs: last + 5,
    outputTokens: tokens,
    chunks: Array.from({ length: tokens }, (_, i) => [first + i * itl, 1] as [number, number]),
    ...extra,
  });
}

// SLOs: ttft <= 500ms, e2e <= 2s, itl <= 50ms. By hand:
const RECORDS: RequestRecord[] = [
  streamed(0, 0, 200, 20, 10), //          ttft 200, itl 20, e2e 385     → meets (10 tokens)
  streamed(1, 100, 500, 50, 20), //        ttft 500, itl 50, e2e 1455    → meets at the limits (20 tokens)
  streamed(2, 200, 501, 10, 10), //        ttft 501                      → misses
  streamed(3, 300, 100, 60, 10), //        itl 60                        → misses
  streamed(4, 400, 100, 40, 50), //        e2e 100 + 40*49 + 5 = 2065    → misses
  streamed(5, 500, 100, 10, 10, { outcome: 'job_failed', error: 'boom' }), // failed → misses
  streamed(6, 600, 100, 10, 10, { outcome: 'aborted', error: 'interrupted' }), // aborted: neither way
  streamed(7, 700, 100, 10, 30), //        meets (30 tokens)
  makeRecord({ seq: 8, mode: 'stream', scheduledMs: 800, sentMs: 800, endMs: 900, outputTokens: 5 }), // no first token → misses
  streamed(9, 0, 10, 1, 4, { phase: 'warmup' }), // warmup: not counted
];

describe('goodput', () => {
  const slos = requestSlos(['ttft <= 500ms', 'e2e<=2s, itl<=50ms']);

  it('counts the requests that met every SLO, over the throughput window', () => {
    const [summary] = summarizeRecords(RECORDS, [makeVariantMeta({ mode: 'stream' })], slos);
    const g = summary?.goodput;
    expect(g).toBeDefined();
    // Met: seq 0, 1, 7 (3 requests, 10 + 20 + 30 output tokens). Sent, aborted left out: 9 - 1 = 8.
    expect(g?.met).toBe(3);
    expect(g?.share).toBeCloseTo(3 / 8, 12);
    // Window: first scheduled (0) to last end (seq 4: 400 + 100 + 1960 + 5 = 2465 ms).
    expect(summary?.throughput.windowMs).toBe(2465);
    expect(g?.requestsPerSec).toBeCloseTo((3 * 1000) / 2465, 12);
    expect(g?.outputTokensPerSec).toBeCloseTo((60 * 1000) / 2465, 12);
    expect(g?.slo).toEqual(['ttft <= 500ms', 'e2e<=2s', 'itl<=50ms']);
  });

  it('a strict limit excludes a request exactly at it', () => {
    const [summary] = summarizeRecords(RECORDS, [makeVariantMeta()], requestSlos(['ttft < 500ms']));
    // seq 1 (ttft exactly 500) and 2 (501) miss; 8 has no TTFT; 5 failed.
    expect(summary?.goodput?.met).toBe(4);
  });

  it('no per-request SLO: no goodput block', () => {
    const [summary] = summarizeRecords(RECORDS, [makeVariantMeta()], requestSlos(['e2eMs.p95 < 2s']));
    expect(summary?.goodput).toBeUndefined();
  });

  it('thresholds name goodput figures', () => {
    const [summary] = summarizeRecords(RECORDS, [makeVariantMeta()], slos);
    const results = evaluateRecorded(['goodput.share >= 37.5%', 'goodput.requestsPerSec > 2'], {
      variants: [summary as NonNullable<typeof summary>],
    });
    expect(results.map((r) => r.passed)).toEqual([true, false]);
  });
});

describe('the SLO language', () => {
  it('reads per-request limits with aliases and units', () => {
    expect(parseRequestSlo('itl<=50ms')).toEqual({ text: 'itl<=50ms', metric: 'tpotMs', op: '<=', limitMs: 50 });
    expect(parseRequestSlo(' ttftMs < 1.5s ')).toMatchObject({ metric: 'ttftMs', op: '<', limitMs: 1500 });
    expect(parseRequestSlo('e2e <= 2m')).toMatchObject({ metric: 'e2eMs', limitMs: 120_000 });
  });

  it('leaves percentile SLOs to the sweep, and the per-request ones to goodput', () => {
    const slo = ['e2eMs.p95 < 2s', 'ttft <= 500ms, e2e <= 5s', 'errorRate < 1%'];
    expect(aggregateSlos(slo)).toEqual(['e2eMs.p95 < 2s', 'errorRate < 1%']);
    expect(requestSlos(slo).map((s) => s.metric)).toEqual(['ttftMs', 'e2eMs']);
    expect(parseRequestSlo('ttftMs.p95 < 2s')).toBeUndefined();
    expect(parseRequestSlo('ttft >= 2s')).toBeUndefined();
  });
});
