import { describe, expect, it } from 'vitest';
import type { VariantSummary } from '../core/summary.js';
import { EMPTY_DISTRIBUTION, distribution } from '../metrics/percentiles.js';
import { recommendationOf } from '../report/recommendation.js';
import { paretoFront, recommendBatching as findBatching, tuningRows } from './batch-tuning.js';

// The findings in the words and values summary.json states them.
const recommendBatching = (...args: Parameters<typeof findBatching>) => findBatching(...args).map(recommendationOf);

function variant(
  name: string,
  params: Record<string, unknown>,
  ttft: number[],
  pollsMean: number,
  chunkTokens: number,
  format: 'legacy' | 'proxy' = 'legacy',
): VariantSummary {
  const metrics = Object.fromEntries(
    [
      'ttftMs',
      'e2eMs',
      'e2eFromScheduledMs',
      'tpotMs',
      'chunkGapMs',
      'chunkTokens',
      'delayMs',
      'executionMs',
      'overheadMs',
      'sendLagMs',
      'ttftUncertaintyMs',
      'polls',
      'promptTokens',
      'outputTokens',
    ].map((m) => [m, EMPTY_DISTRIBUTION]),
  ) as VariantSummary['metrics'];
  metrics.ttftMs = distribution(ttft);
  metrics.e2eMs = distribution([1000]);
  metrics.polls = { ...distribution([pollsMean]) };
  metrics.chunkTokens = distribution([chunkTokens]);
  return {
    name,
    params,
    mode: 'stream',
    counts: {
      scheduled: 1,
      sent: 1,
      ok: 1,
      failed: 0,
      errorRate: 0,
      byOutcome: { ok: 1 },
      httpStatus: {},
      warmup: 0,
      retries: 0,
      requestsRetried: 0,
    },
    metrics,
    throughput: { windowMs: 1, requestsPerSec: 1, outputTokensPerSec: 1, totalTokensPerSec: 1 },
    coldStarts: {
      count: 0,
      share: 0,
      delayMs: {
        cold: { count: 0, p50: null, p70: null, p90: null, p98: null, max: null },
        warm: { count: 0, p50: null, p70: null, p90: null, p98: null, max: null },
      },
    },
    sendLag: { lateOver1msShare: 0, behind: false },
    tokenSources: { usage: 1 },
    workerFormats: { [format]: 1 },
    errors: [],
  };
}

const settings = [
  variant('max=4', { 'stream.max_batch_size': 4 }, [200, 220], 31, 4),
  variant('max=16', { 'stream.max_batch_size': 16 }, [210, 240], 9, 14),
  variant('max=50', { 'stream.max_batch_size': 50 }, [205, 300], 5, 40),
  variant('max=50 slow', { 'stream.max_batch_size': 50, 'polling.interval': 500 }, [600, 700], 4, 45),
];

describe('recommendBatching', () => {
  it('counts /stream calls without the final /status read', () => {
    expect(tuningRows(settings).map((r) => r.streamCalls)).toEqual([30, 8, 4, 3]);
  });

  it('picks the fewest calls among settings that meet the TTFT target', () => {
    const [rec] = recommendBatching(settings, 250);
    expect(rec?.kind).toBe('stream-batching');
    expect(rec?.value).toEqual({ 'stream.max_batch_size': 16 });
    expect(rec?.reason).toMatch(
      /^max=16 meets the TTFT target \(p95 \d+ ms ≤ 250 ms\) with the fewest \/stream calls \(8\.0 per request\) of the 2 settings/,
    );
  });

  it('gives the Pareto front without a target', () => {
    // p50 TTFT and calls: (210, 30) (225, 8) (252.5, 4) (650, 3): each trades one for the other.
    expect(paretoFront(tuningRows(settings)).map((r) => r.name)).toEqual(['max=4', 'max=16', 'max=50', 'max=50 slow']);
    // A setting beaten on both counts leaves the front.
    const dominated = variant('max=8', { 'stream.max_batch_size': 8 }, [260, 260], 20, 8);
    expect(paretoFront(tuningRows([...settings, dominated])).map((r) => r.name)).not.toContain('max=8');
    const [rec] = recommendBatching(settings.slice(1), undefined);
    expect(rec?.value).toEqual([
      { 'stream.max_batch_size': 16 },
      { 'stream.max_batch_size': 50 },
      { 'stream.max_batch_size': 50, 'polling.interval': 500 },
    ]);
  });

  it('treats p50 TTFTs within 5% as a tie, so noise does not name a faster setting', () => {
    // 126 vs 128 ms is run-to-run noise: the setting with fewer calls wins outright.
    const noisy = [
      variant('max=16', { 'stream.max_batch_size': 16 }, [126], 13, 14),
      variant('max=128', { 'stream.max_batch_size': 128 }, [128], 8, 40),
    ];
    expect(paretoFront(tuningRows(noisy)).map((r) => r.name)).toEqual(['max=128']);
    const [rec] = recommendBatching(noisy, undefined);
    expect(rec?.reason).toMatch(
      /^No TTFT target was given: max=128 gives a first token as soon as any other setting \(p50 within 5%\) with the fewest \/stream calls/,
    );
    // 20% sooner is not noise: both stay on the front.
    const real = [
      variant('max=16', { 'stream.max_batch_size': 16 }, [100], 13, 14),
      variant('max=128', { 'stream.max_batch_size': 128 }, [128], 8, 40),
    ];
    expect(paretoFront(tuningRows(real)).map((r) => r.name)).toEqual(['max=16', 'max=128']);
    // Equal calls: the sooner first token wins, however close.
    const equalCalls = [
      variant('max=128', { 'stream.max_batch_size': 128 }, [141], 8, 40),
      variant('max=50', { 'stream.max_batch_size': 50 }, [143], 8, 40),
    ];
    expect(paretoFront(tuningRows(equalCalls)).map((r) => r.name)).toEqual(['max=128']);
  });

  it('says plainly that a proxy-format worker ignores the knobs', () => {
    const proxy = settings.map((v) => ({ ...v, workerFormats: { proxy: 1 } }));
    const recs = recommendBatching(proxy, 250);
    expect(recs[0]?.kind).toBe('stream-batching-no-effect');
    expect(recs[0]?.reason).toMatch(/ignores max_batch_size, min_batch_size and batch_size_growth_factor/);
  });

  it('notices knobs that change nothing even without a format marker', () => {
    const same = settings
      .slice(0, 3)
      .map((v) => ({ ...v, metrics: { ...v.metrics, chunkTokens: distribution([10]) } }));
    expect(recommendBatching(same, undefined)[0]?.kind).toBe('stream-batching-no-effect');
  });

  it("names the request fields, the worker's environment variables and the polling to use", () => {
    const streaming = (name: string) =>
      name === 'max=16'
        ? { max_batch_size: 16, batch_size_growth_factor: 1.5, pollIntervalMs: 250, pollWaitMs: 0 }
        : { pollIntervalMs: 250, pollWaitMs: 10_000 };
    const [rec] = findBatching(settings, 250, streaming).map(recommendationOf);
    expect(rec?.reason).toMatch(
      /^max=16 \(max_batch_size 16, batch_size_growth_factor 1\.5, polls every 250 ms\) meets/,
    );
    expect(rec?.reason).toContain(
      "To use it, send max_batch_size: 16, batch_size_growth_factor: 1.5 in each request's input, or make them the worker's defaults with the environment variables DEFAULT_BATCH_SIZE=16 BATCH_SIZE_GROWTH_FACTOR=1.5",
    );
    expect(rec?.reason).toContain('BATCH_SIZE_GROWTH_FACTOR takes whole numbers only');
    expect(rec?.reason).toContain("min_batch_size stays the worker's default (MIN_BATCH_SIZE, 1 unless set)");
    expect(rec?.reason).toMatch(/and poll \/stream every 250 ms \(polling\.interval\)\.$/);
    expect(rec?.numbers).toMatchObject({ max_batch_size: 16, min_batch_size: null, pollWaitMs: 0 });
    // Knobs without effect: only the polling is named.
    const proxy = settings.map((v) => ({ ...v, workerFormats: { proxy: 1 } }));
    const ignored = findBatching(proxy, 250, streaming).map(recommendationOf)[1];
    expect(ignored?.reason).toMatch(/To use it, poll \/stream every 250 ms \(polling\.interval\)\.$/);
  });
});
