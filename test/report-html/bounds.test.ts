// The pieces that keep report.html bounded: samples, windows and exact counts, checked by
// hand-computed expectations.
import { describe, expect, it } from 'vitest';
import { createValueCounter, MAX_DISCRETE_POINTS } from '../../src/report/html/counts.js';
import { createNumberReservoir, createReservoir } from '../../src/report/html/reservoir.js';
import { timeWindows, windowWidthMs } from '../../src/report/html/windows.js';
import { createRng } from '../../src/util/rng.js';

describe('reservoir', () => {
  it('keeps everything up to its capacity, in order', () => {
    const r = createReservoir<number>(5, createRng(1).next);
    for (const v of [3, 1, 2]) r.add(v);
    expect(r.items()).toEqual([3, 1, 2]);
    expect(r.seen).toBe(3);
  });

  it('never holds more than its capacity and samples the whole stream evenly', () => {
    const r = createNumberReservoir(1000, createRng(2).next);
    for (let i = 0; i < 100_000; i++) r.add(i);
    const kept = r.values();
    expect(kept.length).toBe(1000);
    expect(r.seen).toBe(100_000);
    // A uniform sample of 0..99,999 has mean ≈ 50,000 (σ of the mean ≈ 900) and reaches both ends.
    const mean = kept.reduce((a, b) => a + b, 0) / kept.length;
    expect(Math.abs(mean - 50_000)).toBeLessThan(4000);
    expect(Math.min(...kept)).toBeLessThan(2000);
    expect(Math.max(...kept)).toBeGreaterThan(98_000);
  });
});

describe('time windows', () => {
  it('picks the smallest 1-2-5 width, from 100 ms, that fits the cap', () => {
    expect(windowWidthMs(1000, 100)).toBe(100);
    expect(windowWidthMs(21_000, 100)).toBe(500);
    expect(windowWidthMs(3_600_000, 100)).toBe(50_000);
    expect(windowWidthMs(3_600_001, 36)).toBe(200_000);
  });

  it('clamps times outside the run into the first and last window, whose length ends at the span', () => {
    const w = timeWindows(2500, 3);
    expect([w.widthMs, w.count]).toEqual([1000, 3]);
    expect([w.indexOf(-5), w.indexOf(999.9), w.indexOf(1000), w.indexOf(9999)]).toEqual([0, 0, 1, 2]);
    expect([w.lengthMs(0), w.lengthMs(2)]).toEqual([1000, 500]);
  });

  it('has one window for an empty run', () => {
    const w = timeWindows(0, 100);
    expect([w.count, w.lengthMs(0)]).toEqual([1, 100]);
  });
});

describe('value counter', () => {
  it('gives the exact CDF of whole numbers', () => {
    const c = createValueCounter();
    for (const v of [5, 1, 5, 3]) c.add(v);
    expect(c.finish()).toEqual({ count: 4, values: [1, 3, 5], shareAtOrBelow: [0.25, 0.5, 1], distinct: 3 });
  });

  it('thins many distinct values to a bounded curve that stays exact where it is drawn', () => {
    const c = createValueCounter();
    for (let v = 1; v <= 2000; v++) c.add(v);
    const cdf = c.finish();
    expect(cdf.values.length).toBeLessThanOrEqual(MAX_DISCRETE_POINTS + 1);
    expect(cdf.values.at(-1)).toBe(2000);
    expect(cdf.shareAtOrBelow.at(-1)).toBe(1);
    for (const [i, v] of cdf.values.entries()) expect(cdf.shareAtOrBelow[i]).toBeCloseTo(v / 2000, 5);
  });
});
