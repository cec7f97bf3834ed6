import { describe, expect, it } from 'vitest';
import { makeRecord, makeVariantMeta } from '../../test/support/records.js';
import { quantile } from './percentiles.js';
import { CLASS_COLD, CLASS_UNTIMED, CLASS_WARM, createTableCollector, tableLoad } from './request-table.js';
import { summarizeRecords } from './summarize.js';

describe('request tables', () => {
  it('keep one row per sent measured request, with the values the summary is computed from', () => {
    const meta = [makeVariantMeta({ coldStartRule: { thresholdMs: 1000, idleGapMs: 60_000 } })];
    const records = [
      makeRecord({ seq: 0, phase: 'warmup', sentMs: 0, endMs: 50 }),
      // Cold: its worker's first job, after a long wait.
      makeRecord({ seq: 1, sentMs: 10, endMs: 3000, workerId: 'w', delayMs: 2500, executionMs: 400 }),
      makeRecord({ seq: 2, sentMs: 20, endMs: 3100, workerId: 'w', delayMs: 2600, executionMs: 300 }),
      makeRecord({ seq: 3, sentMs: 3200, endMs: 3500, workerId: 'w', delayMs: 5, executionMs: 280 }),
      makeRecord({ seq: 4, sentMs: 3300, endMs: 3400, outcome: 'job_failed' }),
      makeRecord({ seq: 5, scheduledMs: 3400, sentMs: 3401, endMs: 3420, outcome: 'aborted' }),
      makeRecord({ seq: 6, scheduledMs: 3500, sentMs: undefined, endMs: 3500, outcome: 'not_sent' }),
    ];
    const collector = createTableCollector(meta);
    for (const r of records) collector.add(r);
    const table = collector.finish().default!;
    expect(table.total).toBe(5);
    expect(table.outcome).toEqual([0, 0, 0, 1, 2]);
    expect(table.class).toEqual([CLASS_COLD, CLASS_COLD, CLASS_WARM, CLASS_UNTIMED, CLASS_UNTIMED]);
    expect(table.columns.e2eMs).toEqual([2990, 3080, 300, null, null]);
    expect(table.columns.sendLagMs).toEqual([10, 20, 3200, 3300, 1]);
    expect(table.pickupDelayMs).toEqual([2500, 2600, 5, null, null]);
    const [summary] = summarizeRecords(records, meta);
    const e2e = Float64Array.from(table.columns.e2eMs.filter((v): v is number => v !== null)).sort();
    expect(quantile(e2e, 0.5)).toBe(summary!.metrics.e2eMs.p50);
    expect(summary!.coldStarts.count).toBe(table.class.filter((c) => c === CLASS_COLD).length);
    // Given the summarizer's cold requests (as deriveRun does), the same classes without a second classification.
    const given = createTableCollector(meta, { classify: false });
    for (const r of records) given.add(r);
    expect(given.finish(new Set([1, 2])).default!.class).toEqual(table.class);
  });

  it('keep a seeded uniform sample of a run larger than their cap, and its true size', () => {
    const records = Array.from({ length: 2000 }, (_, seq) =>
      makeRecord({ seq, scheduledMs: seq, sentMs: seq, endMs: seq + 10 }),
    );
    const sample = () => {
      const collector = createTableCollector([makeVariantMeta()], { maxRows: 100 });
      for (const r of records) collector.add(r);
      return collector.finish().default!;
    };
    const table = sample();
    expect(table.total).toBe(2000);
    expect(table.outcome).toHaveLength(100);
    expect(sample()).toEqual(table); // the same records, the same sample
    // Rows in run order, from all over the run.
    const at = table.scheduledMs;
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    const mean = at.reduce((a, b) => a + b, 0) / at.length;
    expect(mean).toBeGreaterThan(800);
    expect(mean).toBeLessThan(1200);
  });

  it('name the load model a throughput replay follows', () => {
    expect(tableLoad({ concurrency: 8, requests: 80 })).toEqual({ model: 'closed', concurrency: 8 });
    expect(tableLoad({ rate: 5, arrival: 'poisson' })).toEqual({ model: 'open' });
    expect(tableLoad({ stages: [{ duration: 1000, rate: 2 }], rate: 1 })).toEqual({ model: 'open' });
    expect(tableLoad({ stages: [{ duration: 1000, concurrency: 2 }] })).toEqual({ model: 'other' });
    expect(tableLoad({ probes: 3 })).toEqual({ model: 'other' });
    expect(tableLoad(undefined)).toEqual({ model: 'other' });
  });
});
