// The edges of the summary's definitions (the formulas at the top of summarize.ts): records
// that lack a field, limits at equality, aborted requests, variants whose seqs do not start at
// 0. Every expected number is worked out by hand from those definitions.
import { describe, expect, it } from 'vitest';
import { makeRecord, makeVariantMeta } from '../../test/support/records.js';
import { createSummarizer, summarizeRecords } from './summarize.js';
import type { RunVariantMeta } from '../core/summary.js';

const meta = [makeVariantMeta()];

describe('a record measures only what it carries', () => {
  it('a bare ok record gives e2e and nothing it lacks', () => {
    // No firstTokenMs, uncertainty, delayTime, executionTime, token counts, chunks or worker format.
    const [v] = summarizeRecords([makeRecord({ seq: 0, sentMs: 10, endMs: 110 })], meta);
    expect(v?.metrics.e2eMs).toMatchObject({ count: 1, p50: 100 });
    for (const m of [
      'ttftMs',
      'ttftUncertaintyMs',
      'delayMs',
      'executionMs',
      'overheadMs',
      'promptTokens',
      'outputTokens',
      'chunkTokens',
      'chunkGapMs',
      'tpotMs',
    ] as const) {
      expect(v?.metrics[m].count, m).toBe(0);
    }
    expect(v?.workerFormats).toEqual({});
    expect(v?.tokenSources).toEqual({ usage: 1 });
  });

  it('overhead needs both delayTime and executionTime', () => {
    const [v] = summarizeRecords(
      [
        makeRecord({ seq: 0, endMs: 500, delayMs: 100 }), // no executionTime
        makeRecord({ seq: 1, endMs: 500, executionMs: 300 }), // no delayTime
        makeRecord({ seq: 2, endMs: 500, delayMs: 100, executionMs: 300 }), // 500 - 100 - 300 = 100
      ],
      meta,
    );
    expect(v?.metrics.delayMs.count).toBe(2);
    expect(v?.metrics.executionMs.count).toBe(2);
    expect(v?.metrics.overheadMs).toMatchObject({ count: 1, min: 100, max: 100 });
  });

  it('counts tokens that are there: output without prompt, prompt without output', () => {
    // Window 0 → 1000 ms. Output tokens 30 (record 0 only); all tokens 30 + 200 (record 1's prompt).
    const [v] = summarizeRecords(
      [
        makeRecord({ seq: 0, scheduledMs: 0, sentMs: 0, endMs: 1000, outputTokens: 30 }),
        makeRecord({ seq: 1, scheduledMs: 0, sentMs: 0, endMs: 1000, promptTokens: 200 }),
      ],
      meta,
    );
    expect(v?.metrics.outputTokens).toMatchObject({ count: 1, min: 30 });
    expect(v?.metrics.promptTokens).toMatchObject({ count: 1, min: 200 });
    expect(v?.throughput.outputTokensPerSec).toBe(30);
    expect(v?.throughput.totalTokensPerSec).toBe(230);
  });

  it('has no TPOT when every token came in the first chunk, or without a last-token time', () => {
    const [v] = summarizeRecords(
      [
        // 16 tokens, all in the first chunk: nothing after it to divide by.
        makeRecord({ seq: 0, firstTokenMs: 50, lastTokenMs: 50, outputTokens: 16, chunks: [[50, 16]] }),
        // No lastTokenMs.
        makeRecord({ seq: 1, firstTokenMs: 50, outputTokens: 16, chunks: [[50, 4]] }),
        // (250 - 50) / (16 - 6) = 20 ms per token.
        makeRecord({
          seq: 2,
          firstTokenMs: 50,
          lastTokenMs: 250,
          outputTokens: 16,
          chunks: [
            [50, 6],
            [250, 10],
          ],
        }),
      ],
      meta,
    );
    expect(v?.metrics.tpotMs).toMatchObject({ count: 1, min: 20, max: 20 });
    expect(v?.metrics.chunkTokens.count).toBe(4);
    expect(v?.metrics.chunkGapMs).toMatchObject({ count: 1, min: 200 });
  });

  it('counts HTTP statuses of http_error records only, and only when the status is known', () => {
    const [v] = summarizeRecords(
      [
        makeRecord({ seq: 0, outcome: 'http_error', httpStatus: 503, error: 'HTTP 503' }),
        makeRecord({ seq: 1, outcome: 'http_error', error: 'HTTP ?' }),
        makeRecord({ seq: 2, outcome: 'client_timeout', httpStatus: 504, error: 'timed out' }),
        makeRecord({ seq: 3, httpStatus: 200 }),
      ],
      meta,
    );
    expect(v?.counts.httpStatus).toEqual({ '503': 1 });
    expect(v?.counts.byOutcome).toEqual({ http_error: 2, client_timeout: 1, ok: 1 });
  });

  it('counts the worker format of ok records that name one', () => {
    const [v] = summarizeRecords(
      [makeRecord({ seq: 0, workerFormat: 'openai' }), makeRecord({ seq: 1 }), makeRecord({ seq: 2 })],
      meta,
    );
    expect(v?.workerFormats).toEqual({ openai: 1 });
  });
});

describe('counts and shares', () => {
  it('leaves aborted requests out of failures and out of the error rate', () => {
    // 5 sent: 2 ok, 1 aborted by the run, 2 failed → failed 2, error rate 2 / (5 - 1) = 0.5.
    const [v] = summarizeRecords(
      [
        makeRecord({ seq: 0 }),
        makeRecord({ seq: 1 }),
        makeRecord({ seq: 2, outcome: 'aborted', error: 'interrupted' }),
        makeRecord({ seq: 3, outcome: 'client_timeout', error: 'timed out' }),
        makeRecord({ seq: 4, outcome: 'http_error', httpStatus: 500, error: 'HTTP 500' }),
      ],
      meta,
    );
    expect(v?.counts).toMatchObject({ sent: 5, ok: 2, failed: 2, errorRate: 0.5 });
  });

  it('has no error rate when every request sent was aborted by the run', () => {
    const [v] = summarizeRecords(
      [
        makeRecord({ seq: 0, outcome: 'aborted', error: 'interrupted' }),
        makeRecord({ seq: 1, outcome: 'aborted', error: 'interrupted' }),
      ],
      meta,
    );
    expect(v?.counts).toMatchObject({ sent: 2, ok: 0, failed: 0, errorRate: null });
  });

  it('counts a send as late only past 1 ms, not at 1 ms', () => {
    const [v] = summarizeRecords(
      [
        makeRecord({ seq: 0, scheduledMs: 0, sentMs: 1, endMs: 100 }), // exactly 1 ms: on time
        makeRecord({ seq: 1, scheduledMs: 0, sentMs: 1.5, endMs: 100 }), // 1.5 ms: late
      ],
      meta,
    );
    expect(v?.sendLag.lateOver1msShare).toBe(0.5);
  });

  it('calls podbench behind only when the p99 send lag passes 10 ms, not at 10 ms', () => {
    const lagged = (lagMs: number) =>
      summarizeRecords(
        [0, 1, 2].map((seq) => makeRecord({ seq, scheduledMs: 0, sentMs: lagMs, endMs: 100 })),
        meta,
      )[0];
    expect(lagged(10)?.sendLag.behind).toBe(false);
    expect(lagged(10.5)?.sendLag.behind).toBe(true);
  });

  it('does not call podbench behind for one late request: in a small run that alone is the p99', () => {
    const run = (lags: number[]) =>
      summarizeRecords(
        lags.map((lag, seq) =>
          makeRecord({ seq, scheduledMs: seq * 100, sentMs: seq * 100 + lag, endMs: seq * 100 + 50 }),
        ),
        meta,
      )[0];
    // The first request's start-up, 40 ms late; the others on time.
    expect(run([40, 0.3, 0.4, 0.2])?.sendLag.behind).toBe(false);
    // The start-up and one hiccup: still one late request past the first wave.
    expect(run([40, 0.3, 25, 0.2])?.sendLag.behind).toBe(false);
    expect(run([40, 0.3, 25, 30])?.sendLag.behind).toBe(true);
  });

  it("does not call podbench behind for a closed loop's first wave, sent while connections open", () => {
    const closed8 = [
      makeVariantMeta({ effective: { load: { concurrency: 8 } } as unknown as RunVariantMeta['effective'] }),
    ];
    const run = (lateAfter: number[]) =>
      summarizeRecords(
        Array.from({ length: 48 }, (_, seq) => {
          // Every user's first request 16-27 ms late (as on a first `npm start`), the rest on time.
          const lag = seq < 8 ? 16 + seq : lateAfter.includes(seq) ? 30 : 0.3;
          return makeRecord({ seq, scheduledMs: seq * 10, sentMs: seq * 10 + lag, endMs: seq * 10 + 100 });
        }),
        closed8,
      )[0];
    expect(run([])?.metrics.sendLagMs.p99).toBeGreaterThan(10);
    expect(run([])?.sendLag.behind).toBe(false);
    expect(run([20, 30])?.sendLag.behind).toBe(true);
    // With a warmup the first wave went out in it: every late measured request counts.
    const warmed = summarizeRecords(
      [
        makeRecord({ seq: 0, phase: 'warmup', scheduledMs: 0, sentMs: 20, endMs: 100 }),
        ...[1, 2, 3].map((seq) =>
          makeRecord({ seq, scheduledMs: seq * 10, sentMs: seq * 10 + 20, endMs: seq * 10 + 100 }),
        ),
      ],
      closed8,
    )[0];
    expect(warmed?.sendLag.behind).toBe(true);
  });

  it('calls the client busy past a p99 of 2 ms, and with 200 samples or more', () => {
    const busy = (p99: number, samples: number) =>
      summarizeRecords(
        [makeRecord()],
        [makeVariantMeta({ clientLoopDelayMs: { p50: 0.1, p99, max: p99, samples } })],
      )[0]?.clientLoopDelay?.busy;
    expect(busy(2, 1000)).toBe(false);
    expect(busy(2.01, 1000)).toBe(true);
    expect(busy(5, 200)).toBe(true);
    expect(busy(5, 199)).toBe(false);
  });

  it('has no window, start or shares when nothing was sent', () => {
    // Scheduled, never sent (no sentMs): counted, nothing measured.
    const [v] = summarizeRecords([makeRecord({ seq: 0, sentMs: undefined, outcome: 'not_sent' })], meta);
    expect(v?.counts).toMatchObject({ scheduled: 1, sent: 0 });
    expect(v?.throughput).toEqual({
      windowMs: 0,
      requestsPerSec: null,
      outputTokensPerSec: null,
      totalTokensPerSec: null,
    });
    expect(v?.sendLag.lateOver1msShare).toBeNull();
  });

  it('starts the window at the first scheduled time once something was sent', () => {
    const [v] = summarizeRecords([makeRecord({ seq: 0, scheduledMs: 40, sentMs: 50, endMs: 1040 })], meta);
    expect(v?.throughput).toMatchObject({ windowStartMs: 40, windowMs: 1000, requestsPerSec: 1 });
  });
});

describe('variants', () => {
  it('keeps a record of a variant run.json does not list, under its own name with defaults', () => {
    const [known, stray] = summarizeRecords([makeRecord({ seq: 0, variant: 'other', endMs: 70 })], meta);
    expect(known?.name).toBe('default');
    expect(stray).toMatchObject({ name: 'other', params: {}, mode: 'sync' });
    expect(stray?.metrics.e2eMs.p50).toBe(70);
  });

  it("classifies with the variant's own cold-start rule, the default one for an unknown variant", () => {
    // delayTime 500 ms on a fresh worker: cold under a 400 ms threshold, warm under the
    // default 1000 ms one.
    const record = (variant: string) =>
      makeRecord({ seq: 0, variant, sentMs: 0, endMs: 900, delayMs: 500, executionMs: 300, workerId: 'w1' });
    const own = summarizeRecords(
      [record('default')],
      [makeVariantMeta({ coldStartRule: { thresholdMs: 400, idleGapMs: 5000 } })],
    )[0];
    expect(own?.coldStarts.count).toBe(1);
    const stray = summarizeRecords([record('other')], meta)[1];
    expect(stray?.coldStarts.count).toBe(0);
  });

  it('splits warm and cold right when seqs start late and arrive out of order', () => {
    // A second variant: seqs 13, 10, 12, 11 (as they finished). Worker w1 boots for seq 10
    // (sent 0, picked up at 3000): seq 11, sent at 100 and picked up at 3100, queued through
    // the boot: cold. Seqs 12 and 13 are sent after the boot, wait 0 ms: warm.
    const rule = { thresholdMs: 1000, idleGapMs: 5000 };
    const r = (seq: number, sentMs: number, delayMs: number) =>
      makeRecord({
        seq,
        variant: 'b',
        sentMs,
        scheduledMs: sentMs,
        endMs: sentMs + delayMs + 100,
        delayMs,
        executionMs: 100,
        workerId: 'w1',
      });
    const [, b] = summarizeRecords(
      [r(13, 4000, 0), r(10, 0, 3000), r(12, 3500, 0), r(11, 100, 3000)],
      [makeVariantMeta(), makeVariantMeta({ name: 'b', coldStartRule: rule })],
    );
    expect(b?.coldStarts.count).toBe(2);
    expect(b?.cold?.ok).toBe(2);
    expect(b?.warm?.ok).toBe(2);
    // Cold e2e: 3000 + 100 each; warm: 0 + 100 each.
    expect(b?.cold?.metrics.e2eMs).toMatchObject({ min: 3100, max: 3100 });
    expect(b?.warm?.metrics.e2eMs).toMatchObject({ min: 100, max: 100 });
  });

  it('classifies a single timed request', () => {
    const [v] = summarizeRecords(
      [makeRecord({ seq: 5, sentMs: 0, endMs: 200, delayMs: 20, executionMs: 150, workerId: 'w1' })],
      meta,
    );
    expect(v?.warm?.ok).toBe(1);
    expect(v?.cold?.ok).toBe(0);
  });

  it("hands every timed job to the billing estimate, with its variant's name", () => {
    const summarizer = createSummarizer([makeVariantMeta(), makeVariantMeta({ name: 'b' })]);
    summarizer.add(makeRecord({ seq: 0, sentMs: 0, endMs: 300, delayMs: 50, executionMs: 200, workerId: 'w1' }));
    summarizer.add(makeRecord({ seq: 1, variant: 'b', sentMs: 10, endMs: 300, delayMs: 40, workerId: 'w2' }));
    summarizer.add(makeRecord({ seq: 2, sentMs: 0, endMs: 300 })); // no server timing: not billed here
    const { pickups } = summarizer.finish();
    expect(pickups).toEqual([
      { seq: 0, workerId: 'w1', variant: 'default', pickupMs: 50, delayMs: 50, executionMs: 200 },
      { seq: 1, workerId: 'w2', variant: 'b', pickupMs: 50, delayMs: 40, executionMs: 0 },
    ]);
  });
});
