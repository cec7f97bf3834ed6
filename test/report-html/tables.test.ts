// The page's tables cell by cell, against numbers worked out by hand: each percentile in
// its column, the measured value (not the limit) in the thresholds table.
import { describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../src/core/record.js';
import { thresholdLines } from '../../src/checks/render-console.js';
import { measuredText } from '../../src/checks/report.js';
import { evaluateRecorded } from '../../src/checks/thresholds.js';
import { summarizeRecords } from '../../src/metrics/summarize.js';
import { coldStartTable, headlineTable, thresholdsTable } from '../../src/report/html/tables.js';
import { closedLoopRecords, makeRecord, makeRunMeta, makeVariantMeta } from '../support/records.js';

const meta = [makeVariantMeta({ coldStartRule: { thresholdMs: 1000, idleGapMs: 5000 } })];

/** The text of each <td> of each body row (tags inside a cell removed). */
function bodyCells(html: string): string[][] {
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  return body
    .split(/<tr\b/)
    .slice(1)
    .map((row) =>
      [...row.matchAll(/<td\b[^>]*>([\s\S]*?)<\/td>/g)].map((m) => (m[1] as string).replace(/<[^>]*>/g, '').trim()),
    );
}

describe('headline table', () => {
  it('puts each TTFT, E2E and TPOT percentile in its column', () => {
    // TTFT 100 and 300, E2E 1000 and 2000, TPOT 10 and 30 (9 tokens after a first chunk of 1).
    const records: RequestRecord[] = [
      makeRecord({
        seq: 0,
        mode: 'stream',
        scheduledMs: 0,
        sentMs: 0,
        firstTokenMs: 100,
        lastTokenMs: 190,
        endMs: 1000,
        outputTokens: 10,
        chunks: [
          [100, 1],
          [190, 9],
        ],
      }),
      makeRecord({
        seq: 1,
        mode: 'stream',
        scheduledMs: 5000,
        sentMs: 5000,
        firstTokenMs: 5300,
        lastTokenMs: 5570,
        endMs: 7000,
        outputTokens: 10,
        chunks: [
          [5300, 1],
          [5570, 9],
        ],
      }),
    ];
    const variants = summarizeRecords(records, meta);
    const [row] = bodyCells(headlineTable(variants, new Map()));
    // Two samples: h = p, so p50 = a + 0.5(b - a), p95 = a + 0.95(b - a), p99 = a + 0.99(b - a).
    expect(row).toEqual([
      '2 / 2',
      '100 %',
      '200',
      '290',
      '298', // TTFT
      '1,500',
      '1,950',
      '1,990', // E2E
      '20.0',
      '29.0',
      '29.8', // TPOT
      '0.29', // 2 requests / 7 s (scheduled 0 to end 7000)
      '2.86', // 20 tokens / 7 s
      '–', // no server timing: cold starts unknown
    ]);
  });
});

describe('cold-start table', () => {
  it('puts P50, P70, P90 and P98 of cold and warm delays in their columns', () => {
    // Eleven boots (each the first job of its worker), five quick pickups on a warm worker.
    const cold = [6500, 1000, 3800, 1100, 5500, 1300, 4600, 1600, 3100, 2000, 2500];
    const warm = [50, 10, 40, 20, 30];
    const job = (seq: number, workerId: string, sentMs: number, delayMs: number) =>
      makeRecord({
        seq,
        workerId,
        sentMs,
        scheduledMs: sentMs,
        delayMs,
        executionMs: 100,
        endMs: sentMs + delayMs + 150,
      });
    const records = [
      ...cold.map((d, i) => job(i, `boot-${i}`, i * 10_000, d)),
      ...warm.map((d, i) => job(100 + i, 'warm', 200_000 + i * 1000, d)),
    ];
    const [row] = bodyCells(coldStartTable(summarizeRecords(records, meta)));
    expect(row).toEqual([
      '11',
      '68.8 %', // 11 of 16 jobs
      // cold, sorted 1000 1100 1300 1600 2000 2500 3100 3800 4600 5500 6500, h = 10p
      '2,500',
      '3,800',
      '5,500',
      '6,300',
      // warm, sorted 10 20 30 40 50, h = 4p: 30, 30 + 0.8 x 10, 40 + 0.6 x 10, 40 + 0.92 x 10
      '30.0',
      '38.0',
      '46.0',
      '49.2',
    ]);
  });
});

describe('thresholds table', () => {
  it('shows the measured value, not the limit, formatted as the console formats it', () => {
    // E2E 100, 200 and 300: p50 200, max 300.
    const summary = {
      variants: summarizeRecords(
        [100, 200, 300].map((e2e, seq) => makeRecord({ seq, sentMs: 0, endMs: e2e })),
        [makeVariantMeta()],
      ),
    };
    const results = evaluateRecorded(
      ['e2eMs.p50 < 150', 'e2eMs.max <= 450', 'e2eMs.mean > 123.4567', 'errorRate < 1%'],
      summary,
    );
    // The console's thresholdLines print the same measured texts.
    expect(bodyCells(thresholdsTable(results))).toEqual([
      ['e2eMs.p50 &lt; 150', 'default', '200 ms', 'FAIL'],
      ['e2eMs.max &lt;= 450', 'default', '300 ms', 'pass'],
      ['e2eMs.mean &gt; 123.4567', 'default', '200 ms', 'pass'],
      ['errorRate &lt; 1%', 'default', '0%', 'pass'],
    ]);
    for (const t of results) expect(thresholdLines([t])).toContain(measuredText(t));
    // A value with decimals the console rounds: 507.664 ms reads 508 ms on both.
    const [odd] = evaluateRecorded(['e2eMs.p50 < 1s'], {
      variants: summarizeRecords([makeRecord({ sentMs: 0, endMs: 507.664 })], [makeVariantMeta()]),
    });
    expect(bodyCells(thresholdsTable([odd!]))[0]![2]).toBe('508 ms');
  });
});

describe('intervals in the tables', () => {
  /** 300 requests at 4 in flight, E2E from 300 to 599 ms, TTFT a fifth of it: enough for a p99 interval (200). */
  async function derived() {
    const { deriveRun } = await import('../../src/derive/derive-run.js');
    const records = closedLoopRecords(
      300,
      4,
      (seq) => 300 + ((seq * 37) % 300),
      (_seq, start, e2e) => ({ firstTokenMs: start + e2e / 5, outputTokens: 10 }),
    );
    const runMeta = makeRunMeta({
      variants: [makeVariantMeta({ mode: 'stream', effective: { load: { concurrency: 4 } } })],
      analysis: { slo: ['e2e <= 450ms'], idleTimeoutMs: 5000 },
    });
    return (await deriveRun(runMeta, records, [])).summary.variants;
  }

  const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

  it('shows the p99 interval under the p99, as under p50 and p95', async () => {
    const variants = await derived();
    const e2e = variants[0]?.metrics.e2eMs;
    const [low, high] = (e2e?.interval95?.p99 ?? [Number.NaN, Number.NaN]) as [number, number];
    const html = headlineTable(variants, new Map());
    const cells = [...html.matchAll(/<td\b[^>]*>([\s\S]*?)<\/td>/g)].map((m) => m[1] as string);
    // E2E p99 is the 6th cell after ok/sent and success: TTFT p50, p95, p99, E2E p50, p95, p99.
    const p99Cell = cells[7] as string;
    expect(p99Cell).toContain(fmt(e2e?.p99 as number));
    expect(p99Cell).toContain(
      `<div class="sub" title="95% interval from this run's own requests">${fmt(low)} – ${fmt(high)}</div>`,
    );
  });

  it("shows goodput's intervals in the goodput table", async () => {
    const { goodputTable } = await import('../../src/report/html/tables.js');
    const variants = await derived();
    const g = variants[0]?.goodput;
    const [low, high] = (g?.interval95?.share ?? [Number.NaN, Number.NaN]) as [number, number];
    const share = (x: number) => `${(x * 100).toFixed(1)} %`;
    expect(goodputTable(variants)).toContain(`${share(low)} – ${share(high)}`);
    const [rLow, rHigh] = (g?.interval95?.requestsPerSec ?? [Number.NaN, Number.NaN]) as [number, number];
    expect(goodputTable(variants)).toContain(`${rLow.toFixed(2)} – ${rHigh.toFixed(2)}`);
  });
});
