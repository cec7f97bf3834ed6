// Two things summarize.ts takes from run.json rather than the records: the requests that
// were scheduled but never sent (counted, not one record each), and how late podbench's own
// loop ran, weighed against the latency it inflates. Expected numbers worked out by hand.
import { describe, expect, it } from 'vitest';
import { makeRecord, makeVariantMeta } from '../../test/support/records.js';
import { summarizeRecords } from './summarize.js';

describe('requests never sent', () => {
  it('count as scheduled and not_sent by reason when measured, as warmup when in the warmup', () => {
    const [v] = summarizeRecords(
      [makeRecord({ seq: 0 }), makeRecord({ seq: 1 })],
      [
        makeVariantMeta({
          notSent: [
            { phase: 'measure', reason: 'interrupted', count: 2 },
            { phase: 'measure', reason: 'interrupted', count: 3 },
            { phase: 'measure', reason: 'k6_dropped', count: 1 },
            { phase: 'warmup', reason: 'interrupted', count: 4 },
          ],
        }),
      ],
    );
    // 2 sent + 2 + 3 + 1 never sent; the 4 of the warmup are warmup, not scheduled.
    expect(v?.counts).toMatchObject({ scheduled: 8, sent: 2, ok: 2, warmup: 4, errorRate: 0 });
    expect(v?.counts.byOutcome.not_sent).toBe(6);
    expect(v?.counts.notSentByReason).toEqual({ interrupted: 5, k6_dropped: 1 });
  });

  it('ignores counts that are not positive numbers, and says nothing of reasons when none counted', () => {
    const [v] = summarizeRecords(
      [makeRecord({ seq: 0 })],
      [
        makeVariantMeta({
          notSent: [
            { phase: 'measure', reason: 'budget', count: 0 },
            { phase: 'measure', reason: 'budget', count: -2 },
            { phase: 'measure', reason: 'budget', count: Number.NaN },
            { phase: 'warmup', reason: 'budget', count: 0 },
          ],
        }),
      ],
    );
    expect(v?.counts).toMatchObject({ scheduled: 1, warmup: 0 });
    expect(v?.counts.byOutcome.not_sent).toBeUndefined();
    expect(v?.counts).not.toHaveProperty('notSentByReason');
  });

  it('are counted for a variant that sent nothing at all', () => {
    const [v] = summarizeRecords(
      [],
      [makeVariantMeta({ notSent: [{ phase: 'measure', reason: 'stopped', count: 3 }] })],
    );
    expect(v?.counts).toMatchObject({ scheduled: 3, sent: 0, errorRate: null, notSentByReason: { stopped: 3 } });
  });
});

describe("podbench's loop delay against what it inflates", () => {
  const busy = { p50: 0.5, p99: 10, max: 30 }; // past 2 ms at p99, samples unknown: busy
  const withDelay = (records: Parameters<typeof summarizeRecords>[0], ms = busy) =>
    summarizeRecords(records, [makeVariantMeta({ clientLoopDelayMs: ms })])[0]?.clientLoopDelay;

  it('is weighed against TTFT p50 when the requests streamed', () => {
    // TTFT 40 ms (sent 0, first token 40), E2E 100 ms: 10 / 40 = 0.25.
    expect(withDelay([makeRecord({ sentMs: 0, firstTokenMs: 40, endMs: 100 })])).toEqual({
      ms: busy,
      busy: true,
      share: 0.25,
      against: 'TTFT p50 (40 ms)',
      significant: true,
      threads: 1,
      // p99 10 ms on one loop: five loops would each take a fifth of the burst, 2 ms.
      neededThreads: 5,
    });
  });

  it('is significant from a tenth of the latency on, not below', () => {
    // 10 ms against E2E 100 ms is exactly 0.1; against 101 ms it is 0.099.
    expect(withDelay([makeRecord({ sentMs: 0, endMs: 100 })])).toMatchObject({ share: 0.1, significant: true });
    expect(withDelay([makeRecord({ sentMs: 0, endMs: 101 })])).toMatchObject({ share: 0.099, significant: false });
  });

  it('has no share when nothing was measured, and then counts as significant if busy', () => {
    // The only request failed: no latency to weigh against.
    const failed = [makeRecord({ outcome: 'http_error', httpStatus: 500 })];
    expect(withDelay(failed)).toEqual({
      ms: busy,
      busy: true,
      share: null,
      against: 'nothing measured',
      significant: true,
      threads: 1,
      neededThreads: 5,
    });
    expect(withDelay(failed, { p50: 0.1, p99: 1, max: 2 })).toMatchObject({ busy: false, significant: false });
  });

  it('has no share against a latency of 0 ms', () => {
    expect(withDelay([makeRecord({ sentMs: 5, endMs: 5 })])).toMatchObject({
      share: null,
      against: 'E2E p50 (0 ms)',
      significant: true,
    });
  });
});
