// summary.json's warm and cold blocks: the same metrics split by the cold-start rule, and
// requests without server timing in neither.
import { describe, expect, it } from 'vitest';
import { summarizeRecords } from '../../src/metrics/summarize.js';
import { makeRecord, makeVariantMeta } from '../support/records.js';

describe('warm and cold blocks', () => {
  it('split every metric by the cold-start classification', () => {
    // Worker w boots for the first job (delay 3000 ms: cold); the next two are warm.
    const records = [
      makeRecord({ seq: 0, sentMs: 0, endMs: 3500, delayMs: 3000, executionMs: 400, workerId: 'w' }),
      makeRecord({ seq: 1, sentMs: 3500, endMs: 3700, delayMs: 20, executionMs: 150, workerId: 'w' }),
      makeRecord({ seq: 2, sentMs: 3700, endMs: 3900, delayMs: 30, executionMs: 160, workerId: 'w' }),
    ];
    const [v] = summarizeRecords(records, [makeVariantMeta()]);
    expect(v!.coldStarts.count).toBe(1);
    expect(v!.cold).toMatchObject({ ok: 1, metrics: { e2eMs: { count: 1, p50: 3500 }, delayMs: { p50: 3000 } } });
    expect(v!.warm).toMatchObject({
      ok: 2,
      metrics: { e2eMs: { count: 2, min: 200, max: 200 }, delayMs: { min: 20, max: 30 } },
    });
    // The pooled metrics are unchanged: all three requests.
    expect(v!.metrics.e2eMs).toMatchObject({ count: 3, max: 3500 });
  });

  it('keeps requests without server timing (OpenAI routes) out of both blocks', () => {
    const records = [
      makeRecord({ seq: 0, mode: 'openai' }),
      makeRecord({ seq: 1, mode: 'openai', sentMs: 100, endMs: 250 }),
    ];
    const [v] = summarizeRecords(records, [makeVariantMeta({ mode: 'openai' })]);
    expect(v!.metrics.e2eMs.count).toBe(2);
    expect(v!.warm?.ok).toBe(0);
    expect(v!.cold?.ok).toBe(0);
    expect(v!.warm?.metrics.e2eMs.p50).toBeNull();
  });

  it('splits chunk-level samples by the request they came from', () => {
    const records = [
      makeRecord({
        seq: 0,
        mode: 'stream',
        sentMs: 0,
        firstTokenMs: 3100,
        lastTokenMs: 3300,
        endMs: 3400,
        delayMs: 3000,
        executionMs: 350,
        workerId: 'w',
        chunks: [
          [3100, 1],
          [3200, 2],
          [3300, 2],
        ],
        outputTokens: 5,
      }),
      makeRecord({
        seq: 1,
        mode: 'stream',
        sentMs: 3400,
        firstTokenMs: 3450,
        lastTokenMs: 3470,
        endMs: 3500,
        delayMs: 10,
        executionMs: 60,
        workerId: 'w',
        chunks: [
          [3450, 1],
          [3470, 4],
        ],
        outputTokens: 5,
      }),
    ];
    const [v] = summarizeRecords(records, [makeVariantMeta({ mode: 'stream' })]);
    expect(v!.cold?.metrics.chunkGapMs).toMatchObject({ count: 2, min: 100, max: 100 });
    expect(v!.warm?.metrics.chunkGapMs).toMatchObject({ count: 1, p50: 20 });
    expect(v!.warm?.metrics.ttftMs.p50).toBe(50);
    expect(v!.cold?.metrics.ttftMs.p50).toBe(3100);
  });
});
