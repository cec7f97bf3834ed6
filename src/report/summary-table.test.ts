import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { closedLoopRecords, makeRunMeta, makeVariantMeta } from '../../test/support/records.js';
import { deriveRun } from '../derive/derive-run.js';
import { createRng } from '../util/rng.js';
import { SUMMARY_COLUMNS, summaryCsv } from './summary-table.js';

/** The columns summary.csv had before intervals, in their order: readers by position rely on it. */
const FIRST_COLUMNS = [
  'variant',
  'mode',
  'scheduled',
  'sent',
  'ok',
  'failed',
  'errorRate',
  'warmup',
  'retries',
  ...[
    'ttftMs',
    'e2eMs',
    'tpotMs',
    'delayMs',
    'executionMs',
    'overheadMs',
    'sendLagMs',
    'chunkGapMs',
    'ttftUncertaintyMs',
  ].flatMap((m) => ['mean', 'p50', 'p90', 'p95', 'p99', 'max'].map((s) => `${m}.${s}`)),
  'requestsPerSec',
  'outputTokensPerSec',
  'totalTokensPerSec',
  'windowMs',
  'coldStarts',
  'coldDelayMs.p50',
  'coldDelayMs.p90',
  'warmDelayMs.p50',
  'warmDelayMs.p90',
  'sendLateOver1msShare',
  'clientLoopDelayMs.p50',
  'clientLoopDelayMs.p99',
  'clientLoopDelayMs.max',
  'params',
];

async function summaryOf(n: number) {
  const rng = createRng(5);
  const records = closedLoopRecords(
    n,
    4,
    () => rng.lognormal(400, 0.5),
    (_seq, start, e2e) => ({ firstTokenMs: start + e2e / 5, outputTokens: 100, promptTokens: 50 }),
  );
  const meta = makeRunMeta({
    variants: [makeVariantMeta({ mode: 'stream', effective: { load: { concurrency: 4 } } })],
    analysis: { slo: ['e2e < 400ms'], idleTimeoutMs: 5000 },
  });
  return (await deriveRun(meta, records, [])).summary;
}

describe('summary.csv', () => {
  it('keeps its first columns in their order and adds goodput and the intervals after them', async () => {
    expect(SUMMARY_COLUMNS.slice(0, FIRST_COLUMNS.length)).toEqual(FIRST_COLUMNS);
    expect(SUMMARY_COLUMNS.slice(FIRST_COLUMNS.length, FIRST_COLUMNS.length + 3)).toEqual([
      'goodput.requestsPerSec',
      'goodput.outputTokensPerSec',
      'goodput.share',
    ]);
    expect(SUMMARY_COLUMNS).toContain('ttftMs.p99.low');
    expect(SUMMARY_COLUMNS).toContain('goodput.share.high');
    // Pooled per-chunk figures and maxima have no interval, so no column.
    expect(SUMMARY_COLUMNS).not.toContain('chunkGapMs.p50.low');
    expect(SUMMARY_COLUMNS).not.toContain('e2eMs.max.low');
    expect(new Set(SUMMARY_COLUMNS).size).toBe(SUMMARY_COLUMNS.length);
  });

  it('writes each interval as summary.json states it, empty where the run could not back one', async () => {
    const summary = await summaryOf(300);
    const [row] = parse(summaryCsv(summary), { columns: true }) as Array<Record<string, string>>;
    const v = summary.variants[0];
    const r3 = (x: number) => String(Math.round(x * 1000) / 1000);
    const [p95Low, p95High] = (v?.metrics.e2eMs.interval95?.p95 ?? [Number.NaN, Number.NaN]) as [number, number];
    expect(row?.['e2eMs.p95.low']).toBe(r3(p95Low));
    expect(row?.['e2eMs.p95.high']).toBe(r3(p95High));
    const [rpsLow, rpsHigh] = (v?.throughput.interval95?.requestsPerSec ?? [Number.NaN, Number.NaN]) as [
      number,
      number,
    ];
    expect([row?.['requestsPerSec.low'], row?.['requestsPerSec.high']]).toEqual([r3(rpsLow), r3(rpsHigh)]);
    expect(row?.['goodput.share']).toBe(r3(v?.goodput?.share as number));
    const [shareLow] = (v?.goodput?.interval95?.share ?? [Number.NaN, Number.NaN]) as [number, number];
    expect(row?.['goodput.share.low']).toBe(r3(shareLow));
    // 300 values: p99 needs 200, so it has one; no request was cold, so no cold interval.
    expect(row?.['ttftMs.p99.low']).not.toBe('');
    expect(row?.['coldDelayMs.p50.low']).toBe('');
    expect(row?.['coldDelayMs.p50.high']).toBe('');
  });
});
