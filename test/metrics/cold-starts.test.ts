// Cold starts in the summary: the P50/P70/P90/P98 Runpod's console shows, by the one
// percentile method (src/metrics/percentiles.ts: linear between closest ranks, h = (n-1)p),
// and the cold-start rule at its edges: Runpod reports delayTime in whole milliseconds, so
// a wait exactly at the threshold happens, and so does a pickup exactly idleGapMs after the
// worker's last job.
import { describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../src/core/record.js';
import { summarizeRecords } from '../../src/metrics/summarize.js';
import { makeRecord, makeVariantMeta } from '../support/records.js';

const meta = [makeVariantMeta({ coldStartRule: { thresholdMs: 1000, idleGapMs: 5000 } })];

/** A job sent at sentMs, picked up after delayMs by workerId, running 100 ms. */
function job(seq: number, workerId: string, sentMs: number, delayMs: number): RequestRecord {
  return makeRecord({
    seq,
    workerId,
    sentMs,
    scheduledMs: sentMs,
    delayMs,
    executionMs: 100,
    endMs: sentMs + delayMs + 150,
  });
}

describe('cold-start percentiles in the summary', () => {
  it('gives P50, P70, P90 and P98 of cold and warm delays by the documented method', () => {
    // Eleven boots, each the first job of its own worker: h = 10p.
    const coldDelays = [6500, 1000, 3800, 1100, 5500, 1300, 4600, 1600, 3100, 2000, 2500];
    // Five quick pickups on one warm worker: h = 4p.
    const warmDelays = [50, 10, 40, 20, 30];
    const records = [
      ...coldDelays.map((delay, i) => job(i, `boot-${i}`, i * 10_000, delay)),
      ...warmDelays.map((delay, i) => job(100 + i, 'warm', 200_000 + i * 1000, delay)),
    ];
    const [v] = summarizeRecords(records, meta);
    expect(v?.coldStarts.count).toBe(11);
    // Sorted: 1000 1100 1300 1600 2000 2500 3100 3800 4600 5500 6500.
    const cold = v?.coldStarts.delayMs.cold;
    expect(cold).toMatchObject({
      count: 11,
      p50: 2500, // h = 5: x[5]
      p70: 3800, // h = 7: x[7] (P75 would be 3800 + 0.5 x 800 = 4200)
      p90: 5500, // h = 9: x[9]
      max: 6500,
    });
    expect(cold?.p98).toBeCloseTo(6300, 9); // h = 9.8: 5500 + 0.8 x (6500 - 5500)
    // Sorted: 10 20 30 40 50.
    const warm = v?.coldStarts.delayMs.warm;
    expect(warm).toMatchObject({ count: 5, p50: 30, max: 50 }); // h = 2: x[2]
    expect(warm?.p70).toBeCloseTo(38, 9); // h = 2.8: 30 + 0.8 x 10 (P75 would be 40)
    expect(warm?.p90).toBeCloseTo(46, 9); // h = 3.6: 40 + 0.6 x 10
    expect(warm?.p98).toBeCloseTo(49.2, 9); // h = 3.92: 40 + 0.92 x 10
  });
});

describe('the cold-start rule at its edges', () => {
  it('counts a first job that waited exactly thresholdMs as cold, and one that waited 1 ms less as warm', () => {
    const [v] = summarizeRecords([job(0, 'a', 0, 1000), job(1, 'b', 0, 999)], meta);
    expect(v?.coldStarts.count).toBe(1);
    expect(v?.coldStarts.delayMs.cold).toMatchObject({ count: 1, max: 1000 });
    expect(v?.coldStarts.delayMs.warm).toMatchObject({ count: 1, max: 999 });
  });

  it('sees a new boot when a worker picks up a long-waiting job exactly idleGapMs after its last job ended', () => {
    // Worker a boots for job 0 (picked up at 3000, busy until 3100). Job 1 waits 1.5 s and is
    // picked up exactly 5000 ms after that (at 8100): a new boot. One ms earlier: queueing on a live worker.
    const [atGap] = summarizeRecords([job(0, 'a', 0, 3000), job(1, 'a', 6600, 1500)], meta);
    expect(atGap?.coldStarts.count).toBe(2);
    const [inside] = summarizeRecords([job(0, 'a', 0, 3000), job(1, 'a', 6599, 1500)], meta);
    expect(inside?.coldStarts.count).toBe(1);
  });
});
