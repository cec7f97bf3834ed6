import { describe, expect, it } from 'vitest';
import { makeRecord, makeVariantMeta } from '../../test/support/records.js';
import { createSummarizer, summarizeRecords } from './summarize.js';
import type { RunVariantMeta } from '../core/summary.js';

const meta = [makeVariantMeta()];

describe('summarizeRecords', () => {
  it("carries podbench's own event-loop delay from run.json, busy past 2 ms at p99", () => {
    const record = makeRecord({});
    expect(summarizeRecords([record], meta)[0]?.clientLoopDelay).toBeUndefined(); // older run.json: nothing claimed
    const calm = summarizeRecords(
      [record],
      [makeVariantMeta({ clientLoopDelayMs: { p50: 0.1, p99: 1.9, max: 12 } })],
    )[0];
    expect(calm?.clientLoopDelay).toEqual({
      ms: { p50: 0.1, p99: 1.9, max: 12 },
      busy: false,
      share: 0.019,
      against: 'E2E p50 (100 ms)',
      significant: false,
      threads: 1,
    });
    const busy = summarizeRecords(
      [record],
      [makeVariantMeta({ clientLoopDelayMs: { p50: 0.2, p99: 37.8, max: 206 } })],
    )[0];
    expect(busy?.clientLoopDelay?.busy).toBe(true);
    // 37.8 ms against an E2E of 100 ms: a share worth a warning.
    expect(busy?.clientLoopDelay).toMatchObject({ share: 0.378, significant: true, neededThreads: 19 });
    // Measured on 2 client threads whose worst loop ran 37.8 ms late: 38 threads' worth of loops.
    const threaded = summarizeRecords(
      [record],
      [
        makeVariantMeta({
          clientLoopDelayMs: { p50: 0.2, p99: 37.8, max: 206 },
          clientThreads: {
            count: 2,
            loopDelayMs: [
              { p50: 0.2, p99: 37.8, max: 206 },
              { p50: 0.2, p99: 20, max: 90 },
            ],
          },
        }),
      ],
    )[0];
    expect(threaded?.clientLoopDelay).toMatchObject({ threads: 2, neededThreads: 38 });
    expect(threaded?.clientLoopDelay?.perThreadMs).toHaveLength(2);
    // A closed loop of 4: no more threads than requests in flight, however large the delay.
    const closedLoop = (concurrency: number) =>
      summarizeRecords(
        [record],
        [
          makeVariantMeta({
            clientLoopDelayMs: { p50: 0.2, p99: 37.8, max: 206 },
            effective: { load: { concurrency, duration: 10_000 } } as unknown as RunVariantMeta['effective'],
          }),
        ],
      )[0]?.clientLoopDelay;
    expect(closedLoop(4)).toMatchObject({ neededThreads: 4, inFlightCap: 4 });
    expect(closedLoop(64)?.neededThreads).toBe(19);
    expect(closedLoop(64)?.inFlightCap).toBeUndefined();
    // Under a second of samples: one hiccup is the p99, so no verdict.
    const short = summarizeRecords(
      [record],
      [makeVariantMeta({ clientLoopDelayMs: { p50: 0.2, p99: 14, max: 14, samples: 60 } })],
    )[0];
    expect(short?.clientLoopDelay?.busy).toBe(false);
  });

  it('gives empty distributions and null rates for a variant without records', () => {
    const [v] = summarizeRecords([], meta);
    expect(v?.counts).toMatchObject({ scheduled: 0, sent: 0, ok: 0, failed: 0, errorRate: null });
    expect(v?.metrics.e2eMs.count).toBe(0);
    expect(v?.throughput).toEqual({
      windowMs: 0,
      requestsPerSec: null,
      outputTokensPerSec: null,
      totalTokensPerSec: null,
    });
    expect(v?.coldStarts.share).toBeNull();
  });

  it('derives every metric of a single streamed request by its formula', () => {
    // sent at 10, chunks of 1, 3 and 6 tokens at 110, 160, 260; ends at 300.
    const record = makeRecord({
      mode: 'stream',
      scheduledMs: 8,
      sentMs: 10,
      firstTokenMs: 110,
      lastTokenMs: 260,
      endMs: 300,
      delayMs: 40,
      executionMs: 200,
      promptTokens: 50,
      outputTokens: 10,
      chunks: [
        [110, 1],
        [160, 3],
        [260, 6],
      ],
      polls: 7,
      ttftUncertaintyMs: 25,
    });
    const [v] = summarizeRecords([record], meta);
    const m = v!.metrics;
    expect(m.ttftMs.p50).toBe(100); // 110 - 10
    expect(m.e2eMs.p50).toBe(290); // 300 - 10
    expect(m.e2eFromScheduledMs.p50).toBe(292); // 300 - 8
    expect(m.tpotMs.p50).toBeCloseTo(150 / 9, 12); // (260 - 110) / (10 - 1 token in the first chunk)
    expect(m.chunkGapMs).toMatchObject({ count: 2, min: 50, max: 100 });
    expect(m.chunkTokens).toMatchObject({ count: 3, mean: 10 / 3 });
    expect(m.overheadMs.p50).toBe(50); // 290 - 40 - 200
    expect(m.sendLagMs.p50).toBe(2);
    expect(m.polls.p50).toBe(7);
    expect(m.ttftUncertaintyMs.p50).toBe(25);
    // Window: scheduled 8 → end 300 = 292 ms.
    expect(v!.throughput.windowMs).toBe(292);
    expect(v!.throughput.requestsPerSec).toBeCloseTo(1000 / 292, 12);
    expect(v!.throughput.outputTokensPerSec).toBeCloseTo(10_000 / 292, 12);
    expect(v!.throughput.totalTokensPerSec).toBeCloseTo(60_000 / 292, 12);
  });

  it('leaves warmup out, counts every outcome, and measures latency over ok requests only', () => {
    const records = [
      makeRecord({ seq: 0, phase: 'warmup', endMs: 5000 }),
      makeRecord({ seq: 1, sentMs: 0, endMs: 100 }),
      makeRecord({ seq: 2, sentMs: 0, endMs: 300 }),
      makeRecord({
        seq: 3,
        sentMs: 0,
        endMs: 50,
        outcome: 'http_error',
        httpStatus: 429,
        error: 'HTTP 429: slow down',
        retries: 3,
      }),
      makeRecord({ seq: 4, sentMs: 0, endMs: 70, outcome: 'job_failed', error: "{'message': 'boom'}" }),
      makeRecord({ seq: 5, scheduledMs: 400, sentMs: undefined, endMs: 400, outcome: 'not_sent' }),
    ];
    const [v] = summarizeRecords(records, meta);
    expect(v!.counts).toMatchObject({
      scheduled: 5,
      sent: 4,
      ok: 2,
      failed: 2,
      errorRate: 0.5,
      warmup: 1,
      retries: 3,
      requestsRetried: 1,
      httpStatus: { '429': 1 },
      byOutcome: { ok: 2, http_error: 1, job_failed: 1, not_sent: 1 },
    });
    expect(v!.metrics.e2eMs).toMatchObject({ count: 2, min: 100, max: 300, mean: 200 });
    expect(v!.errors).toEqual([
      { outcome: 'http_error', count: 1, example: 'HTTP 429: slow down' },
      { outcome: 'job_failed', count: 1, example: "{'message': 'boom'}" },
      { outcome: 'not_sent', count: 1, example: 'not_sent' },
    ]);
  });

  it('splits delayTime into cold and warm requests', () => {
    const records = [
      makeRecord({ seq: 0, sentMs: 0, delayMs: 4000, executionMs: 500, workerId: 'w1', endMs: 4600 }),
      // Queued behind the same boot: picked up at the same moment, after a long wait.
      makeRecord({ seq: 1, sentMs: 100, delayMs: 3900, executionMs: 500, workerId: 'w1', endMs: 4700 }),
      makeRecord({ seq: 2, sentMs: 5000, delayMs: 20, executionMs: 500, workerId: 'w1', endMs: 5600 }),
    ];
    const [v] = summarizeRecords(records, meta);
    expect(v!.coldStarts.count).toBe(2);
    expect(v!.coldStarts.share).toBeCloseTo(2 / 3, 12);
    expect(v!.coldStarts.delayMs.cold).toMatchObject({ count: 2, p50: 3950 });
    expect(v!.coldStarts.delayMs.warm).toMatchObject({ count: 1, p50: 20 });
  });

  it('flags podbench as behind when the p99 send lag passes 10 ms', () => {
    const onTime = Array.from({ length: 98 }, (_, i) =>
      makeRecord({ seq: i, scheduledMs: i, sentMs: i + 0.5, endMs: i + 10 }),
    );
    const hiccup = makeRecord({ seq: 98, scheduledMs: 98, sentMs: 104, endMs: 110 }); // one 6 ms pause: noise
    const noisy = summarizeRecords([...onTime, hiccup], meta)[0]!;
    expect(noisy.sendLag.lateOver1msShare).toBeCloseTo(1 / 99, 12);
    expect(noisy.sendLag.behind).toBe(false);
    const late = [98, 99, 100].map((seq) => makeRecord({ seq, scheduledMs: seq, sentMs: seq + 30, endMs: seq + 40 }));
    const [v] = summarizeRecords([...onTime, ...late], meta);
    expect(v!.metrics.sendLagMs.p99).toBeGreaterThan(10);
    expect(v!.sendLag.behind).toBe(true);
  });
});

describe('createSummarizer', () => {
  it("tells when each variant's columns are let go, with its request count", () => {
    const summarizer = createSummarizer([makeVariantMeta({ name: 'a' }), makeVariantMeta({ name: 'b' })]);
    for (let seq = 0; seq < 5; seq++) summarizer.add(makeRecord({ seq, variant: seq < 3 ? 'a' : 'b' }));
    const released: number[] = [];
    const { variants } = summarizer.finish((requests) => released.push(requests));
    expect(released).toEqual([3, 2]);
    expect(variants.map((v) => v.counts.ok)).toEqual([3, 2]);
  });
});
